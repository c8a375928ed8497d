package io.jfrp.client.plugin;

import io.jfrp.core.config.PluginConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * frp's {@code static_file} plugin: the files under {@code localPath}, read-only, by GET and HEAD, under
 * the path {@code /stripPrefix/} (or {@code /}); a directory lists its entries, or serves its
 * index.html. No path leaves the directory ({@code ..} and encoded forms are resolved first). With
 * httpUser set, a request without those credentials is a 401.
 */
final class StaticFiles extends ChannelInboundHandlerAdapter {

    private final Path root;
    private final String prefix;
    private final UserCheck users;

    StaticFiles(PluginConfig c, UserCheck users) {
        this.root = c.localPath().toAbsolutePath().normalize();
        this.prefix = c.stripPrefix().isEmpty() ? "/" : "/" + c.stripPrefix() + "/";
        this.users = users;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!users.admits(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse r = HttpProxyFront.answer(HttpResponseStatus.UNAUTHORIZED, "credentials needed");
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"jfrp\"");
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            ctx.writeAndFlush(HttpProxyFront.answer(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (!path.startsWith(prefix) && !(path + "/").equals(prefix)) {
            notFound(ctx);
            return;
        }
        Path file;
        try {
            file = root.resolve(path.length() <= prefix.length() ? "" : path.substring(prefix.length())).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            notFound(ctx);
            return;
        }
        if (!file.startsWith(root) || !Files.exists(file)) {
            notFound(ctx);
            return;
        }
        try {
            if (Files.isDirectory(file)) {
                if (!path.endsWith("/")) {
                    FullHttpResponse r = HttpProxyFront.answer(HttpResponseStatus.MOVED_PERMANENTLY, "see " + path + "/");
                    r.headers().set(HttpHeaderNames.LOCATION, path + "/");
                    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                Path index = file.resolve("index.html");
                if (!Files.isRegularFile(index)) {
                    listing(ctx, path, file, req.method().equals(HttpMethod.HEAD), keepAlive);
                    return;
                }
                file = index;
            }
            send(ctx, file, req.method().equals(HttpMethod.HEAD), keepAlive);
        } catch (IOException e) {
            ctx.writeAndFlush(HttpProxyFront.answer(HttpResponseStatus.FORBIDDEN, "cannot read " + path))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void notFound(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(HttpProxyFront.answer(HttpResponseStatus.NOT_FOUND, "404 page not found"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private static void send(ChannelHandlerContext ctx, Path file, boolean head, boolean keepAlive) throws IOException {
        String type = Files.probeContentType(file);
        long length = Files.size(file);
        // Opened last: nothing between here and the chunked input that closes it can throw.
        FileChannel ch = head ? null : FileChannel.open(file, StandardOpenOption.READ);
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type == null ? "application/octet-stream" : type)
                .set(HttpHeaderNames.CONTENT_LENGTH, length);
        HttpUtil.setKeepAlive(r, keepAlive);
        ctx.write(r);
        ChannelFuture done;
        if (head) {
            done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            // The chunked input closes the file when it has been read, or when the write fails.
            ChunkedNioFile chunks;
            try {
                chunks = new ChunkedNioFile(ch, 0, length, 64 * 1024);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            done = ctx.writeAndFlush(new HttpChunkedInput(chunks));
        }
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void listing(ChannelHandlerContext ctx, String path, Path dir, boolean head, boolean keepAlive)
            throws IOException {
        StringBuilder html = new StringBuilder("<!doctype html>\n<pre>\n");
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "");
                String escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
                html.append("<a href=\"").append(escaped).append("\">").append(escaped).append("</a>\n");
            }
        }
        html.append("</pre>\n");
        FullHttpResponse r = HttpProxyFront.answer(HttpResponseStatus.OK, html.toString());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        HttpUtil.setKeepAlive(r, keepAlive);
        if (head) {
            r.content().clear();
        }
        ChannelFuture done = ctx.writeAndFlush(r);
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
