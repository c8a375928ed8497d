package io.jfrp.client.plugin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The Basic credentials a plugin asks of its users (http_proxy's Proxy-Authorization, static_file's
 * Authorization): compared in constant time, so the time of a refusal says nothing of the password.
 */
final class UserCheck {

    private final byte[] expected;

    UserCheck(String user, String password) {
        this.expected = user.isEmpty() ? null
                : ("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8);
    }

    boolean required() {
        return expected != null;
    }

    /** Whether the header's value (null: none given) is what the plugin asks for. */
    boolean admits(String header) {
        return expected == null || header != null
                && MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a user name and password (SOCKS5's) are the ones asked for. */
    boolean admits(String user, String password) {
        return admits("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
}
