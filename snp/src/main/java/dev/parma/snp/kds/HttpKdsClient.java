package dev.parma.snp.kds;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Fetches from the live KDS over HTTPS. Opt-in only; wrap it in {@link CachingKdsClient}. */
public final class HttpKdsClient implements KdsClient {
    private final HttpClient http;
    private final Duration timeout;

    public HttpKdsClient(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    public static HttpKdsClient create() {
        return new HttpKdsClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), Duration
                .ofSeconds(30));
    }

    @Override
    public byte[] fetch(KdsRequest request) throws KdsUnavailableException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(request.url())).timeout(timeout).GET().build();
        try {
            HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() != 200) {
                throw new KdsUnavailableException("KDS answered " + resp.statusCode() + " for " + request.url());
            }
            return resp.body();
        } catch (IOException e) {
            throw new KdsUnavailableException("KDS request failed for " + request.url() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KdsUnavailableException("interrupted while fetching " + request.url(), e);
        }
    }
}
