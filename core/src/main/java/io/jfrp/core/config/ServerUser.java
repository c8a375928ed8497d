package io.jfrp.core.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A user of the server with a token of its own ({@code [[users]]}, a jfrp extension; frp needs a plugin
 * for this). A client logs in as a user by naming it in {@code user} and proving that user's token;
 * its proxies are named {@code user.name} on the server, as frp names them, so no user can take another's
 * names. Its limits hold across all its sessions: ports open at once ({@code maxPorts}), sessions at once
 * ({@code maxSessions}), user connections tunnelled at once ({@code maxStreams}), and the ports it may ask
 * for ({@code allowPorts}, else the server's).
 *
 * @param allowPorts null for the server's allowPorts
 * @param maxPorts 0 for no limit
 * @param maxSessions 0 for no limit
 * @param maxStreams 0 for no limit
 */
public record ServerUser(String name, String token, PortRanges allowPorts, int maxPorts, int maxSessions,
                         int maxStreams) {

    public ServerUser(String name, String token, PortRanges allowPorts, int maxPorts, int maxSessions) {
        this(name, token, allowPorts, maxPorts, maxSessions, 0);
    }

    @Override
    public String toString() {
        // Never the token: a config object ends up in logs and exceptions.
        return "ServerUser[" + name + "]";
    }

    /** @param tables the file's [[users]] and its config centre's, checked together (names and tokens unique over all) */
    static List<ServerUser> read(List<ConfigSection> tables) {
        List<ServerUser> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> tokens = new HashSet<>();
        for (ConfigSection u : tables) {
            String name = u.requiredString("name");
            if (!name.isEmpty() && !name.matches("[A-Za-z0-9_-]{1,64}")) {
                u.problem("name", u.node("name"), "\"" + name + "\" (expected: 1-64 of A-Z a-z 0-9 _ -; it prefixes "
                        + "proxy names, with a dot)");
            } else if (!name.isEmpty() && !names.add(name)) {
                u.problem("name", u.node("name"), "\"" + name + "\" is already a user (expected: a unique name)");
            }
            String token = u.requiredString("token");
            if (!token.isEmpty() && token.length() < 16) {
                u.problem("token", u.node("token"), "is " + token.length() + " characters (expected: at least 16; a short "
                        + "token is guessed)");
            } else if (!token.isEmpty() && !tokens.add(token)) {
                u.problem("token", u.node("token"), "is another user's token too (expected: one token per user)");
            }
            PortRanges allow = u.has("allowPorts") ? PortRanges.read(u, "allowPorts") : null;
            int maxPorts = (int) u.integer("maxPorts", 0, 0, 65535);
            int maxSessions = (int) u.integer("maxSessions", 0, 0, 1_000_000);
            int maxStreams = (int) u.integer("maxStreams", 0, 0, 10_000_000);
            u.finish();
            out.add(new ServerUser(name, token, allow, maxPorts, maxSessions, maxStreams));
        }
        return List.copyOf(out);
    }
}
