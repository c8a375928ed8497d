package io.jfrp.core.net;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollIoOps;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Keeps an epoll socket in epoll's interest set for its whole life. Netty 4.2.18 (the newest native epoll
 * transport served here) removes a socket from the set once it waits for nothing (its input ended, no
 * write pending) yet keeps it marked as added; the next write that must wait for room then fails
 * (epoll_ctl MOD: ENOENT), and Netty shuts the socket's output, dropping what was queued: a user who
 * half-closed sees a clean end of a truncated answer. EPOLLERR in the set (epoll reports it whatever
 * the set holds) keeps the set from ever being empty. Netty's {@code setFlag} is protected; it is
 * reached by reflection, and where that fails (another Netty) nothing is done and the first failure is
 * logged.
 */
public final class EpollInterest {

    private static final MethodHandle SET_FLAG = setFlag();
    private static final int EPOLLERR = EpollIoOps.EPOLLERR.value();

    private EpollInterest() {
    }

    /** Netty's AbstractEpollChannel is package-private: the class every epoll channel extends. */
    private static final Class<?> EPOLL_CHANNEL = epollChannel();

    private static Class<?> epollChannel() {
        try {
            return Class.forName("io.netty.channel.epoll.AbstractEpollChannel", false, Channel.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static MethodHandle setFlag() {
        try {
            var m = epollChannel().getDeclaredMethod("setFlag", int.class);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(void.class, Channel.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LoggerFactory.getLogger(EpollInterest.class).debug("epoll interest guard unavailable: {}", e.toString());
            return null;
        }
    }

    /** On {@code ch}'s event loop, once it is registered. A channel of another transport is left alone. */
    public static void keep(Channel ch) {
        if (SET_FLAG == null || !EPOLL_CHANNEL.isInstance(ch) || !ch.isRegistered()) {
            return;
        }
        try {
            SET_FLAG.invokeExact(ch, EPOLLERR);
        } catch (Throwable t) {
            // The socket may have closed meanwhile; its own handlers see that.
            LoggerFactory.getLogger(EpollInterest.class).debug("epoll interest of {} not kept: {}", ch, t.toString());
        }
    }
}
