package io.jfrp.core.log;

/**
 * Text a peer chose (a host name, a reason, a proxy name) made safe for one log line: a newline in it
 * must not forge a line of its own, and a megabyte of it must not become a megabyte of log.
 */
public final class PeerText {

    /** More than any host name or reason a well-behaved peer sends. */
    static final int MAX_CHARS = 256;

    private PeerText() {
    }

    /** Control characters as {@code \n}, {@code \r}, {@code \t}, {@code \xNN} or a four-digit unicode escape; cut after {@link #MAX_CHARS}. */
    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), MAX_CHARS);
        StringBuilder out = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(n + 16).append(s, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\t') {
                    out.append("\\t");
                } else {
                    out.append(String.format(c > 0xff ? "\\u%04x" : "\\x%02x", (int) c));
                }
            }
        }
        String done = out == null ? s.substring(0, n) : out.toString();
        return s.length() > MAX_CHARS ? done + "...(" + (s.length() - MAX_CHARS) + " more)" : done;
    }
}
