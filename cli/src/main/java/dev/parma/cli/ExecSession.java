package dev.parma.cli;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code parma exec}'s terminal side: the node's websocket, logged in with the session's password (the
 * {@code Authorization} header, as ACI clients send it), stdin to the process, its output to stdout. The process's
 * exit code (the close reason {@code exit <code>}) becomes the CLI's.
 */
final class ExecSession {

    private ExecSession() {
    }

    static int attach(HttpClient http, URI uri, String password, InputStream in, PrintStream out, PrintStream err)
            throws Exception {
        var closed = new CompletableFuture<Integer>();
        WebSocket ws = http.newWebSocketBuilder().header("Authorization", password).buildAsync(uri,
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        out.print(data);
                        out.flush();
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                        closed.complete(exitCode(code, reason, err));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        err.println("parma: exec connection failed: " + error.getMessage());
                        closed.complete(1);
                    }
                }).get(10, TimeUnit.SECONDS);
        var stdin = new Thread(() -> {
            try (var r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                char[] buf = new char[4096];
                int n;
                while ((n = r.read(buf)) >= 0 && !closed.isDone()) {
                    ws.sendText(new String(buf, 0, n), true).join();
                }
            } catch (Exception e) {
                // the session ended while we were reading or sending
            }
        }, "exec-stdin");
        stdin.setDaemon(true);
        stdin.start();
        return closed.get();
    }

    /** 1000 "exit N" → N; anything else is the session's refusal or failure, said on stderr. */
    static int exitCode(int code, String reason, PrintStream err) {
        if (code == 1000 && reason != null && reason.matches("exit -?\\d+")) {
            return Integer.parseInt(reason.substring(5));
        }
        err.println("parma: exec closed (" + code + "): " + reason);
        return 1;
    }
}
