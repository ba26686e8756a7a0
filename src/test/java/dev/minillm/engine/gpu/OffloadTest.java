package dev.minillm.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OffloadTest {
    private static final Set<String> GPUS = Set.of("Vulkan0", "RPC0[127.0.0.1:50052]");
    private static final GpuBuffer CPU_MAPPED = new GpuBuffer("CPU_Mapped", "CPU", "cpu", true, 1000, 0, 0);
    private static final GpuBuffer CPU = new GpuBuffer("CPU", "CPU", "cpu", true, 0, 400, 300);
    private static final GpuBuffer VK = new GpuBuffer("Vulkan0", "Vulkan0", "gpu", false, 900, 200, 100);

    @Test
    void allLayersOnTheGpuMatchesARequestForAll() {
        Offload o = Offload.of(-1, List.of("Vulkan0", "Vulkan0", "Vulkan0"), List.of(CPU_MAPPED, VK), GPUS);
        assertNull(o.problem());
        assertEquals(3, o.layersOffloaded());
        assertEquals(900, o.modelBytesOffloaded());
        assertEquals(200, o.kvBytesOffloaded());
        assertEquals(1000, o.modelBytesHost());
        assertEquals(java.util.Map.of("Vulkan0", 3), o.layersPerDevice());
        assertEquals("Vulkan0", o.outputDevice());
    }

    @Test
    void aPartialOffloadCountsTheOutputLayerLikeLlamaCpp() {
        // n_gpu_layers 2 of 4 repeating layers + output: layers 3 and the output layer go to the GPU.
        Offload o = Offload.of(2, List.of("CPU", "CPU", "CPU", "Vulkan0", "Vulkan0"), List.of(CPU_MAPPED, CPU, VK), GPUS);
        assertNull(o.problem());
        assertEquals("{CPU=3, Vulkan0=2}", o.layersPerDevice().toString());
        assertEquals(5, o.layersTotal());
    }

    @Test
    void moreLayersRequestedThanExistAreCapped() {
        Offload o = Offload.of(999, List.of("Vulkan0", "Vulkan0"), List.of(VK), GPUS);
        assertEquals(2, o.expectedOffloaded());
        assertNull(o.problem());
    }

    @Test
    void aGpuRequestThatLandedOnTheCpuIsRefused() {
        Offload o = Offload.of(-1, List.of("CPU", "CPU", "CPU"), List.of(CPU_MAPPED, CPU), GPUS);
        String p = o.problem();
        assertNotNull(p);
        assertTrue(p.contains("asked for 3 of 3 layers on the GPU, but llama.cpp placed 0"), p);
    }

    @Test
    void layersPlacedOnAGpuWithoutWeightsInAGpuBufferAreRefused() {
        Offload o = Offload.of(-1, List.of("Vulkan0", "Vulkan0"), List.of(CPU_MAPPED, CPU), GPUS);
        assertTrue(o.problem().contains("no model weights are in a GPU buffer"), o.problem());
    }

    @Test
    void noPlacementLogMeansTheOffloadCannotBeVerified() {
        Offload o = Offload.of(-1, List.of(), List.of(VK), GPUS);
        assertTrue(o.problem().contains("cannot verify"), o.problem());
    }

    @Test
    void aBackendsPinnedHostBufferIsNotDeviceMemory() {
        GpuBuffer pinned = new GpuBuffer("Vulkan_Host", "Vulkan0", "gpu", true, 0, 0, 269344);
        Offload o = Offload.of(-1, List.of("Vulkan0", "Vulkan0"), List.of(CPU_MAPPED, pinned, VK), GPUS);
        assertEquals(100, o.computeBytesOffloaded());
        assertEquals(900, o.modelBytesOffloaded());
    }

    @Test
    void zeroLayersIsACpuPlacementAndMatches() {
        Offload o = Offload.of(0, List.of("CPU", "CPU"), List.of(CPU_MAPPED, CPU), GPUS);
        assertNull(o.problem());
        assertEquals(0, o.layersOffloaded());
    }

    @Test
    void layersSplitAcrossRpcServersAreCountedPerServer() {
        Set<String> rpc = Set.of("RPC0[127.0.0.1:1]", "RPC1[127.0.0.1:2]");
        GpuBuffer r0 = new GpuBuffer("RPC0[127.0.0.1:1]", "RPC0[127.0.0.1:1]", "gpu", false, 500, 10, 0);
        GpuBuffer r1 = new GpuBuffer("RPC1[127.0.0.1:2]", "RPC1[127.0.0.1:2]", "gpu", false, 400, 10, 0);
        Offload o = Offload.of(-1, List.of("RPC0[127.0.0.1:1]", "RPC0[127.0.0.1:1]", "RPC1[127.0.0.1:2]"),
                List.of(CPU_MAPPED, r0, r1), rpc);
        assertNull(o.problem());
        assertEquals("{RPC0[127.0.0.1:1]=2, RPC1[127.0.0.1:2]=1}", o.layersPerDevice().toString());
        assertEquals(900, o.modelBytesOffloaded());
    }
}
