package io.jfrp.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** HTTP Basic credentials, as users send them in Authorization and Proxy-Authorization, and their check. */
record BasicAuth(String user, String password) {

    static final BasicAuth NONE = new BasicAuth("", "");

    /** The user and password of a {@code Basic ...} header; {@link #NONE} without one, or for another scheme. */
    static BasicAuth parse(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return NONE;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? new BasicAuth(pair, "") : new BasicAuth(pair.substring(0, colon), pair.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return NONE;
        }
    }

    /** Whether these are the route's credentials; in constant time, so a guess learns nothing from the clock. */
    boolean matches(String wantUser, String wantPassword) {
        return MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), wantUser.getBytes(StandardCharsets.UTF_8))
                & MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                wantPassword.getBytes(StandardCharsets.UTF_8));
    }
}
