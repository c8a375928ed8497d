package io.jfrp.core.net;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Resolves host names for dials off the event loops, with the JDK's resolver (/etc/hosts, nsswitch,
 * search domains: what every other program on the host sees). Netty's default resolver calls the JDK
 * on the calling thread, which for a dial is the event loop: one slow DNS answer for a proxy's
 * {@code localIP} stalled every stream of the session, and one for {@code serverAddr} the client's only
 * loop. Netty's asynchronous DNS client would not block, but it reads resolv.conf itself and skips
 * nsswitch (mDNS, LDAP, systemd-resolved's own names), so a name that works for ping could fail here;
 * hence a small pool of lookup threads around the JDK's call instead. The JDK caches answers.
 */
final class OffLoopResolver extends AddressResolverGroup<InetSocketAddress> {

    /** Lookups that may wait at once on slow answers; more queue behind them. */
    static final int THREADS = 8;
    private static final int QUEUED = 1024;

    /** The blocking lookup: the JDK's, or a test's. */
    interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    private final Lookup lookup;
    private final ThreadPoolExecutor lookups;

    OffLoopResolver(String threadName, Lookup lookup) {
        this.lookup = lookup;
        this.lookups = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUED),
                new DefaultThreadFactory(threadName, true));
        lookups.allowCoreThreadTimeOut(true);
    }

    OffLoopResolver(String threadName) {
        this(threadName, InetAddress::getAllByName);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetNameResolver(executor) {
            @Override
            protected void doResolve(String host, Promise<InetAddress> promise) {
                InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
                if (literal != null) {
                    promise.trySuccess(literal); // an address needs no lookup, nor a thread
                } else {
                    submit(promise, () -> lookup.all(host)[0]);
                }
            }

            @Override
            protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
                if (literal != null) {
                    promise.trySuccess(List.of(literal));
                } else {
                    submit(promise, () -> List.of(lookup.all(host)));
                }
            }
        }.asAddressResolver();
    }

    /** The promise belongs to the dialling loop, so its listeners run there, not on a lookup thread. */
    private <T> void submit(Promise<T> promise, Callable<T> call) {
        try {
            lookups.execute(() -> {
                try {
                    promise.trySuccess(call.call());
                } catch (Exception e) {
                    promise.tryFailure(e);
                }
            });
        } catch (RejectedExecutionException e) {
            promise.tryFailure(new UnknownHostException("more than " + QUEUED + " host name lookups waiting"));
        }
    }

    @Override
    public void close() {
        super.close();
        lookups.shutdownNow();
    }
}
