package dev.parma.snp.kds;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Fetches from the live KDS over HTTPS. Opt-in only; wrap it in {@link CachingKdsClient}. Every request has a deadline
 * and every body a size limit (AMD's largest answer, a CRL, is a few KiB), so a slow or hostile server can neither hold
 * a thread nor fill the heap.
 */
public final class HttpKdsClient implements KdsClient {
    /** Far above any KDS answer (VCEK ~1.4 KiB, cert_chain ~4 KiB, CRL a few KiB). */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpClient http;
    private final String origin;
    private final Duration timeout;
    private final int maxBodyBytes;

    /** @param origin where KDS paths are fetched from: {@link KdsUrls#BASE}, or a mirror that serves the same paths */
    public HttpKdsClient(HttpClient http, String origin, Duration timeout, int maxBodyBytes) {
        this.http = http;
        this.origin = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** 5 s to connect, 10 s per request: inside {@link CachingKdsClient.Settings#defaults()}' 15 s wait. */
    public static HttpKdsClient create() {
        return new HttpKdsClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(
                HttpClient.Redirect.NEVER).build(), KdsUrls.BASE, Duration.ofSeconds(10), MAX_BODY_BYTES);
    }

    @Override
    public byte[] fetch(KdsRequest request) throws KdsUnavailableException {
        String url = origin + request.url().substring(KdsUrls.BASE.length());
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new KdsUnavailableException("KDS answered " + resp.statusCode() + " for " + url);
                }
                byte[] bytes = body.readNBytes(maxBodyBytes + 1);
                if (bytes.length > maxBodyBytes) {
                    throw new KdsUnavailableException("KDS answer for " + url + " is larger than "
                            + maxBodyBytes + " bytes");
                }
                return bytes;
            }
        } catch (HttpTimeoutException e) {
            throw new KdsUnavailableException("KDS did not answer within " + timeout.toSeconds() + " s for " + url, e);
        } catch (IOException e) {
            // the exception's own text can be empty or name classes: say what failed, keep it as the cause
            throw new KdsUnavailableException("KDS request failed for " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KdsUnavailableException("interrupted while fetching " + url, e);
        }
    }
}
