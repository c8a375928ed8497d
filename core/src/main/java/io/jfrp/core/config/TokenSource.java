package io.jfrp.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * frp's {@code auth.tokenSource}: the token read from a file ({@code type = "file"}, {@code file.path})
 * or printed by a command ({@code type = "exec"}, {@code exec.command}, {@code exec.args}), once, when
 * the config is read, so a token that cannot be had stops the start with the reason. A command runs
 * only when the operator allowed it ({@code --allow-unsafe TokenSourceExec}), as frp requires.
 */
final class TokenSource {

    /** The name of the unsafe feature that lets a config run a command. */
    static final String EXEC_FEATURE = "TokenSourceExec";
    private static final long EXEC_TIMEOUT_SECONDS = 10;
    private static final int MAX_TOKEN_BYTES = 4096;

    private TokenSource() {
    }

    /** @return the token: {@code auth.token}, or what {@code auth.tokenSource} gives */
    static String read(ConfigSection s) {
        String token = s.string("auth.token", "");
        if (!s.has("auth.tokenSource.type")) {
            s.unsupportedUnder("auth.tokenSource", "it needs auth.tokenSource.type");
            return token;
        }
        String type = s.oneOf("auth.tokenSource.type", "file", List.of("file", "exec"));
        ConfigNode at = s.node("auth.tokenSource.type");
        if (!token.isEmpty()) {
            s.problem("auth.tokenSource.type", at, "set together with auth.token (expected: one of the two)");
        }
        if (type.equals("file")) {
            String path = s.string("auth.tokenSource.file.path", "");
            if (path.isEmpty()) {
                s.problem("auth.tokenSource.file.path", at, "missing (expected: the file that holds the token)");
                return "";
            }
            try {
                return Files.readString(Path.of(path), StandardCharsets.UTF_8).trim();
            } catch (IOException | RuntimeException e) {
                s.problem("auth.tokenSource.file.path", s.node("auth.tokenSource.file.path"),
                        "cannot read the token from " + path + ": " + e);
                return "";
            }
        }
        String command = s.string("auth.tokenSource.exec.command", "");
        List<String> args = s.strings("auth.tokenSource.exec.args");
        if (!s.allowUnsafe().contains(EXEC_FEATURE)) {
            s.problem("auth.tokenSource.type", at, "\"exec\" runs a command: allow it with --allow-unsafe "
                    + EXEC_FEATURE + " (unsafe feature \"" + EXEC_FEATURE + "\" is not enabled)");
            return "";
        }
        if (command.isEmpty()) {
            s.problem("auth.tokenSource.exec.command", at, "missing (expected: the command that prints the token)");
            return "";
        }
        return exec(s, command, args);
    }

    private static String exec(ConfigSection s, String command, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(command);
        argv.addAll(args);
        ConfigNode at = s.node("auth.tokenSource.exec.command");
        try {
            Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(MAX_TOKEN_BYTES + 1);
            }
            if (!p.waitFor(EXEC_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                s.problem("auth.tokenSource.exec.command", at, command + " did not finish within "
                        + EXEC_TIMEOUT_SECONDS + "s");
                return "";
            }
            if (p.exitValue() != 0) {
                s.problem("auth.tokenSource.exec.command", at, command + " exited with " + p.exitValue());
                return "";
            }
            if (out.length > MAX_TOKEN_BYTES) {
                s.problem("auth.tokenSource.exec.command", at, command + " printed more than " + MAX_TOKEN_BYTES
                        + " bytes (expected: a token)");
                return "";
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            s.problem("auth.tokenSource.exec.command", at, "cannot run " + command + ": " + e.getMessage());
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The unsafe features an operator may allow, by frp's names. */
    static final Set<String> KNOWN_UNSAFE = Set.of(EXEC_FEATURE);
}
