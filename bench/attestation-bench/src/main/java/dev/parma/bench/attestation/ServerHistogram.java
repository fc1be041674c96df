package dev.parma.bench.attestation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's own view of its latency: the cumulative buckets of {@code parma_attestation_duration_seconds} (from
 * the resource method being called to the token being ready) scraped before and after a run. Comparing its
 * percentiles with the client's separates time spent in the token path from time spent waiting for it (HTTP
 * accept/read, event-loop queues, the run queue of the cores, GC).
 */
final class ServerHistogram {
    private static final Pattern BUCKET = Pattern.compile(
            "parma_attestation_duration_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+]+)");

    private ServerHistogram() {
    }

    /** Upper bound (seconds) → cumulative count. */
    static TreeMap<Double, Double> scrape(HttpClient http, String url) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        TreeMap<Double, Double> out = new TreeMap<>();
        Matcher m = BUCKET.matcher(body);
        while (m.find()) {
            double le = "+Inf".equals(m.group(1)) ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            out.merge(le, Double.parseDouble(m.group(2)), Double::sum);
        }
        return out;
    }

    /** The bucket bound (ms) under which {@code p} percent of the requests between the two scrapes fell. */
    static double percentileMs(Map<Double, Double> before, TreeMap<Double, Double> after, double p) {
        double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        for (var e : after.entrySet()) {
            double n = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            if (n >= total * p / 100) {
                return e.getKey() * 1000;
            }
        }
        return Double.NaN;
    }
}
