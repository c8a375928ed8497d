package io.jfrp.server;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/** Every thread of this JVM with its state and stack, as jstack prints them: the web server's pprof page. */
final class ThreadDump {

    private ThreadDump() {
    }

    static String of() {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"').append(t.getThreadName()).append("\" #").append(t.getThreadId()).append(' ')
                    .append(t.getThreadState());
            if (t.getLockName() != null) {
                out.append(" on ").append(t.getLockName());
            }
            out.append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                out.append("\tat ").append(e).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
