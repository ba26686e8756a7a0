package dev.minillm.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minillm.common.BadInputException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpcEndpointTest {
    @Test
    void parsesHostPortListsAndIpv6() {
        assertEquals(List.of(new RpcEndpoint("127.0.0.1", 50052), new RpcEndpoint("::1", 50053)),
                RpcEndpoint.parseList("127.0.0.1:50052, [::1]:50053"));
        assertEquals("[::1]:50053", new RpcEndpoint("::1", 50053).toString());
        assertEquals("gpu-box:1", RpcEndpoint.parse("gpu-box:1").toString());
    }

    @Test
    void refusesMalformedEndpointsInOneLine() {
        for (String bad : List.of("127.0.0.1", ":50052", "host:", "host:abc", "host:70000", "::1:50052", "a:1,a:1", " , ")) {
            BadInputException e = assertThrows(BadInputException.class, () -> RpcEndpoint.parseList(bad), bad);
            assertTrue(e.getMessage().startsWith("--rpc") || e.getMessage().startsWith("RPC server"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void reachabilityIsATcpConnect() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertNull(new RpcEndpoint("127.0.0.1", s.getLocalPort()).unreachableReason(2000));
            int port = s.getLocalPort();
            s.close();
            String why = new RpcEndpoint("127.0.0.1", port).unreachableReason(2000);
            assertTrue(why.contains("does not answer") && why.contains("minillm rpc-server --port " + port), why);
        }
    }
}
