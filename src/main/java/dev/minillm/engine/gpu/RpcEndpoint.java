package dev.minillm.engine.gpu;

import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** One llama.cpp rpc-server, as {@code HOST:PORT} (IPv6 as {@code [ADDR]:PORT}). */
public record RpcEndpoint(String host, int port) {
    public static final int DEFAULT_PORT = 50052;

    public RpcEndpoint {
        if (host == null || host.isBlank()) {
            throw new BadInputException("RPC server: empty host");
        }
        if (port < 1 || port > 65535) {
            throw new BadInputException("RPC server " + host + ": port " + port + " is not between 1 and 65535");
        }
    }

    /** "HOST:PORT" → endpoint; one line naming the text when it is not one. */
    public static RpcEndpoint parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new BadInputException("--rpc: '" + t + "' is not HOST:PORT (e.g. 127.0.0.1:50052)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new BadInputException("--rpc: '" + t + "': write an IPv6 address in brackets, e.g. [::1]:50052");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new BadInputException("--rpc: '" + t + "': port '" + t.substring(colon + 1) + "' is not a number");
        }
        return new RpcEndpoint(host, port);
    }

    /** A comma list of endpoints (one RPC configuration: all of them together). */
    public static List<RpcEndpoint> parseList(String text) {
        List<RpcEndpoint> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                RpcEndpoint e = parse(part);
                if (out.contains(e)) {
                    throw new BadInputException("--rpc: " + e + " is listed twice");
                }
                out.add(e);
            }
        }
        if (out.isEmpty()) {
            throw new BadInputException("--rpc: no HOST:PORT given");
        }
        return out;
    }

    /** Why the server does not answer (one line), or null when a TCP connection succeeds. */
    public String unreachableReason(int timeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            return null;
        } catch (IOException e) {
            return "RPC server " + this + " does not answer (" + e.getMessage() + "); start it with 'minillm rpc-server --port " + port + "'";
        }
    }

    /** The form llama.cpp's RPC backend takes. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
