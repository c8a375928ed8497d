package io.jfrp.core.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * On a listener, before Netty's acceptor: when accepting fails (the process is out of file descriptors,
 * the kernel out of memory), accepting pauses and resumes after a wait that doubles with each failure
 * in a row ({@link #FIRST_PAUSE_MILLIS} to {@link #MAX_PAUSE_MILLIS}), instead of Netty's fixed second,
 * and the failure is not passed on (Netty would log each one). What is logged is {@link AcceptFailureLog}'s
 * one line for the whole process, then its summaries: with 400 ports out of descriptors at once that is
 * still one line, not 400 a second.
 */
final class AcceptBackoff extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AcceptBackoff.class);
    static final long FIRST_PAUSE_MILLIS = 50;
    static final long MAX_PAUSE_MILLIS = 2_000;

    private final AcceptFailureLog failures;
    private long pauseMillis;
    /** This listener failed, and the log has not said yet that accepting works again. */
    private boolean telling;

    AcceptBackoff(AcceptFailureLog failures) {
        this.failures = failures;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object child) {
        pauseMillis = 0;
        if (telling) {
            telling = failures.accepted();
        }
        ctx.fireChannelRead(child);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failures.closed(ctx.channel().localAddress());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(ctx.channel() instanceof ServerChannel)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        pauseMillis = pauseMillis == 0 ? FIRST_PAUSE_MILLIS : Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
        telling = true;
        failures.failed(ctx.channel().localAddress(), cause, pauseMillis);
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                if (ctx.channel().isOpen()) {
                    ctx.channel().config().setAutoRead(true);
                }
            }, pauseMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Where Linux lists the process's open files. */
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    /**
     * The soft limit on open files, read at start while files can still be opened: from /proc/self/limits on
     * Linux (two small reads, where the JDK's OperatingSystemMXBean loads ~50 management classes into every
     * server and a native library that cannot load at the limit), from the MXBean elsewhere; -1 unknown.
     */
    private static final long MAX_OPEN = maxOpenFiles();
    /** The MXBean, only where there is no /proc to read. */
    private static final Object OS = Files.isDirectory(FD_DIR) ? null : operatingSystem();

    private static long maxOpenFiles() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("no /proc/self/limits: {}", e.toString());
        }
        return -1;
    }

    private static Object operatingSystem() {
        try {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean u) {
                u.getMaxFileDescriptorCount();
            }
            return os;
        } catch (RuntimeException | LinkageError e) {
            log.debug("file descriptor counts unavailable: {}", e.toString());
            return null;
        }
    }

    /** How many files this process has open, and may; -1 where it cannot tell (at the limit the count needs a file). */
    static long[] fileDescriptors() {
        if (OS instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            long max = u.getMaxFileDescriptorCount();
            try {
                return new long[]{u.getOpenFileDescriptorCount(), max};
            } catch (InternalError | RuntimeException e) {
                return new long[]{-1, max};
            }
        }
        if (OS != null || MAX_OPEN < 0) {
            return new long[]{-1, -1};
        }
        long open = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FD_DIR)) {
            for (Path ignored : fds) {
                open++;
            }
        } catch (IOException | RuntimeException e) {
            // At the limit, listing /proc/self/fd needs a descriptor there is none of.
            return new long[]{-1, MAX_OPEN};
        }
        return new long[]{open - 1, MAX_OPEN}; // less the listing's own
    }
}
