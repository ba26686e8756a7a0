// GPU and RPC facts for minillm's native engine: the ggml devices with their memory and driver,
// the RPC servers to offload to, where llama.cpp put each layer, and how many bytes of the model,
// the KV cache and the compute buffers landed in each buffer type. Everything is returned to Java
// as one JSON string per call, so the Java side does not depend on any ggml struct layout.
//
// Java class: dev.minillm.engine.gpu.GpuNative (the JNI symbols below are its native methods).

#include <jni.h>

#include "ggml-backend.h"
#include "ggml.h"
#include "llama.h"
#ifdef GGML_USE_RPC
#include "ggml-rpc.h"
#endif
// llama.cpp's staging header for the per-buffer-type memory breakdown (C++ API, in src/).
#if __has_include("llama-ext.h")
#include "llama-ext.h"
#define MINILLM_HAVE_BREAKDOWN 1
#endif
#if __has_include(<vulkan/vulkan.h>)
#include <vulkan/vulkan.h>
#define MINILLM_HAVE_VULKAN_HEADERS 1
#endif

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#ifdef __APPLE__
#include <sys/sysctl.h>
#endif

namespace {

std::string quote(const char * s) {
    if (s == nullptr) {
        return "null";
    }
    std::string out = "\"";
    for (const char * p = s; *p; ++p) {
        unsigned char c = (unsigned char) *p;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += (char) c;
                }
        }
    }
    return out + "\"";
}

std::string quote(const std::string & s) {
    return quote(s.c_str());
}

const char * type_name(enum ggml_backend_dev_type t) {
    switch (t) {
        case GGML_BACKEND_DEVICE_TYPE_CPU: return "cpu";
        case GGML_BACKEND_DEVICE_TYPE_GPU: return "gpu";
        case GGML_BACKEND_DEVICE_TYPE_IGPU: return "igpu";
        case GGML_BACKEND_DEVICE_TYPE_ACCEL: return "accel";
        default: return "other";
    }
}

// Driver facts ggml does not expose. Looked up at run time (dlsym/dlopen), so the library has no
// link-time dependency beyond what its backends already have.
struct driver_facts {
    std::string driver;   // e.g. "llvmpipe, Mesa 22.3.6 (LLVM 15.0.6)" or "CUDA driver 12.4"
    std::string runtime;  // e.g. "Vulkan 1.3.230" or "CUDA runtime 12.4"
    bool software = false; // a CPU-emulated device (Mesa lavapipe/llvmpipe, SwiftShader)
};

std::string cuda_version(int v) {
    return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

// The NVIDIA kernel module's version ("550.54.14"), as nvidia-smi shows it; empty when unknown.
std::string nvidia_module_version() {
    FILE * f = fopen("/proc/driver/nvidia/version", "r");
    if (f == nullptr) {
        return "";
    }
    char line[512] = {0};
    std::string out;
    if (fgets(line, sizeof line, f) != nullptr) {
        const char * at = strstr(line, "Kernel Module");
        char version[64] = {0};
        if (at != nullptr && sscanf(at + strlen("Kernel Module"), " %63s", version) == 1) {
            out = version;
        }
    }
    fclose(f);
    return out;
}

// The JNI library is loaded without RTLD_GLOBAL, so CUDA's libraries are asked for by name: the
// driver API (libcuda.so.1, always that name) and the runtime ggml-cuda already loaded.
void cuda_facts(driver_facts & f) {
    typedef int (*get_version_fn)(int *);
    int v = 0;
    void * drv_lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    auto drv = drv_lib ? (get_version_fn) dlsym(drv_lib, "cuDriverGetVersion") : nullptr;
    std::string module = nvidia_module_version();
    if (drv && drv(&v) == 0 && v > 0) {
        f.driver = (module.empty() ? std::string("NVIDIA driver") : "NVIDIA " + module) + " (CUDA " + cuda_version(v) + ")";
    } else if (!module.empty()) {
        f.driver = "NVIDIA " + module;
    }
    get_version_fn rt = nullptr;
    for (const char * name : {"libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so"}) {
        void * h = dlopen(name, RTLD_NOW | RTLD_NOLOAD);
        if (h != nullptr && (rt = (get_version_fn) dlsym(h, "cudaRuntimeGetVersion")) != nullptr) {
            break;
        }
    }
    if (rt == nullptr) {
        rt = (get_version_fn) dlsym(RTLD_DEFAULT, "cudaRuntimeGetVersion");
    }
    if (rt && rt(&v) == 0 && v > 0) {
        f.runtime = "CUDA runtime " + cuda_version(v);
    }
}

#ifdef MINILLM_HAVE_VULKAN_HEADERS
// One entry per Vulkan physical device, matched to ggml's devices by name.
struct vk_device_facts {
    std::string name;
    driver_facts facts;
};

std::vector<vk_device_facts> vulkan_devices() {
    std::vector<vk_device_facts> out;
    void * lib = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
        lib = dlopen("libvulkan.dylib", RTLD_NOW | RTLD_LOCAL);
    }
    if (lib == nullptr) {
        return out;
    }
    auto get_proc = (PFN_vkGetInstanceProcAddr) dlsym(lib, "vkGetInstanceProcAddr");
    if (get_proc == nullptr) {
        return out;
    }
    auto create = (PFN_vkCreateInstance) get_proc(nullptr, "vkCreateInstance");
    VkApplicationInfo app = {};
    app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
    app.pApplicationName = "minillm";
    app.apiVersion = VK_API_VERSION_1_2;
    VkInstanceCreateInfo ci = {};
    ci.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
    ci.pApplicationInfo = &app;
    VkInstance inst = VK_NULL_HANDLE;
    if (create == nullptr || create(&ci, nullptr, &inst) != VK_SUCCESS) {
        return out;
    }
    auto enumerate = (PFN_vkEnumeratePhysicalDevices) get_proc(inst, "vkEnumeratePhysicalDevices");
    auto props2 = (PFN_vkGetPhysicalDeviceProperties2) get_proc(inst, "vkGetPhysicalDeviceProperties2");
    auto destroy = (PFN_vkDestroyInstance) get_proc(inst, "vkDestroyInstance");
    uint32_t n = 0;
    if (enumerate && props2 && enumerate(inst, &n, nullptr) == VK_SUCCESS && n > 0) {
        std::vector<VkPhysicalDevice> devs(n);
        enumerate(inst, &n, devs.data());
        for (uint32_t i = 0; i < n; i++) {
            VkPhysicalDeviceDriverProperties drv = {};
            drv.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES;
            VkPhysicalDeviceProperties2 p = {};
            p.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
            p.pNext = &drv;
            props2(devs[i], &p);
            vk_device_facts d;
            d.name = p.properties.deviceName;
            d.facts.driver = std::string(drv.driverName) + ", " + drv.driverInfo;
            uint32_t a = p.properties.apiVersion;
            d.facts.runtime = "Vulkan " + std::to_string(VK_API_VERSION_MAJOR(a)) + "." + std::to_string(VK_API_VERSION_MINOR(a))
                    + "." + std::to_string(VK_API_VERSION_PATCH(a));
            d.facts.software = p.properties.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU;
            out.push_back(d);
        }
    }
    if (destroy) {
        destroy(inst, nullptr);
    }
    return out;
}
#endif

std::string macos_version() {
#ifdef __APPLE__
    char buf[64];
    size_t len = sizeof buf;
    if (sysctlbyname("kern.osproductversion", buf, &len, nullptr, 0) == 0) {
        return std::string("macOS ") + buf;
    }
#endif
    return "";
}

driver_facts facts_for(ggml_backend_dev_t dev) {
    driver_facts f;
    std::string backend = ggml_backend_reg_name(ggml_backend_dev_backend_reg(dev));
    if (backend == "CUDA") {
        cuda_facts(f);
    } else if (backend == "Metal" || backend == "MTL") {
        f.runtime = "Metal";
        f.driver = macos_version();
    } else if (backend == "Vulkan") {
#ifdef MINILLM_HAVE_VULKAN_HEADERS
        static std::vector<vk_device_facts> vk = vulkan_devices();
        std::string desc = ggml_backend_dev_description(dev);
        for (const auto & d : vk) {
            if (desc == d.name || desc.rfind(d.name, 0) == 0) {
                return d.facts;
            }
        }
#endif
    } else if (backend == "RPC") {
        f.runtime = "ggml RPC";
    }
    return f;
}

std::string device_json(ggml_backend_dev_t dev, size_t index) {
    ggml_backend_dev_props props;
    ggml_backend_dev_get_props(dev, &props);
    driver_facts f = facts_for(dev);
    std::string s = "{\"index\":" + std::to_string(index);
    s += ",\"name\":" + quote(props.name);
    s += ",\"description\":" + quote(props.description);
    s += ",\"type\":" + quote(type_name(props.type));
    s += ",\"backend\":" + quote(ggml_backend_reg_name(ggml_backend_dev_backend_reg(dev)));
    s += ",\"memory_free_bytes\":" + std::to_string(props.memory_free);
    s += ",\"memory_total_bytes\":" + std::to_string(props.memory_total);
    s += ",\"device_id\":" + quote(props.device_id);
    s += ",\"driver\":" + (f.driver.empty() ? std::string("null") : quote(f.driver));
    s += ",\"runtime\":" + (f.runtime.empty() ? std::string("null") : quote(f.runtime));
    s += std::string(",\"software\":") + (f.software ? "true" : "false");
    return s + "}";
}

// Layer placement, as llama.cpp itself logs it while loading ("layer N assigned to device X").
std::mutex capture_mutex;
bool capturing = false;
std::vector<std::string> placement;  // one "N DEVICE" per layer line, in log order
ggml_log_callback previous_cb = nullptr;
void * previous_ud = nullptr;

void capture_cb(enum ggml_log_level level, const char * text, void * user_data) {
    static const char * marker = "load_tensors: layer ";
    const char * at = text ? strstr(text, marker) : nullptr;
    if (at != nullptr) {
        int layer = -1;
        char device[128] = {0};
        if (sscanf(at + strlen(marker), "%d assigned to device %127[^, \n]", &layer, device) == 2) {
            std::lock_guard<std::mutex> g(capture_mutex);
            placement.push_back(std::to_string(layer) + " " + device);
        }
    }
    if (previous_cb != nullptr) {
        previous_cb(level, text, previous_ud);
    } else if (text != nullptr) {
        fputs(text, stderr);  // llama.cpp's default when no callback is set
    }
    (void) user_data;
}

// An RPC server that dies makes ggml abort the client process. Say why as the last line on
// stderr, where the parent bench process takes a dead cell's reason from.
ggml_abort_callback_t previous_abort = nullptr;
bool abort_reporter_installed = false;

void abort_reporter(const char * message) {
    if (previous_abort != nullptr) {
        previous_abort(message);
    }
    fprintf(stderr, "\nminillm: llama.cpp aborted: %s\n", message);
    fflush(stderr);
}

std::string jstring_to_std(JNIEnv * env, jstring s) {
    if (s == nullptr) {
        return "";
    }
    const char * c = env->GetStringUTFChars(s, nullptr);
    std::string out = c ? c : "";
    if (c) {
        env->ReleaseStringUTFChars(s, c);
    }
    return out;
}

}  // namespace

extern "C" {

JNIEXPORT jstring JNICALL Java_dev_minillm_engine_gpu_GpuNative_devices(JNIEnv * env, jclass) {
    std::string s = "[";
    for (size_t i = 0; i < ggml_backend_dev_count(); i++) {
        if (i > 0) {
            s += ",";
        }
        s += device_json(ggml_backend_dev_get(i), i);
    }
    s += "]";
    return env->NewStringUTF(s.c_str());
}

JNIEXPORT jboolean JNICALL Java_dev_minillm_engine_gpu_GpuNative_supportsRpc(JNIEnv *, jclass) {
    return ggml_backend_reg_by_name("RPC") != nullptr ? JNI_TRUE : JNI_FALSE;
}

// Registers one RPC server's devices (ggml connects to it here; the caller checks first that the
// port answers, so a dead server is a clean error, not ggml's abort). Returns the JSON array of
// the devices it added, or a JSON object {"error": "..."}.
JNIEXPORT jstring JNICALL Java_dev_minillm_engine_gpu_GpuNative_addRpcServer(JNIEnv * env, jclass, jstring jendpoint) {
    std::string endpoint = jstring_to_std(env, jendpoint);
    ggml_backend_reg_t rpc = ggml_backend_reg_by_name("RPC");
    if (rpc == nullptr) {
        return env->NewStringUTF("{\"error\":\"this build has no RPC backend (configure llama.cpp with GGML_RPC=ON)\"}");
    }
    typedef ggml_backend_reg_t (*add_server_fn)(const char *);
    auto add = (add_server_fn) ggml_backend_reg_get_proc_address(rpc, "ggml_backend_rpc_add_server");
    if (add == nullptr) {
        return env->NewStringUTF("{\"error\":\"the RPC backend has no ggml_backend_rpc_add_server\"}");
    }
    if (!abort_reporter_installed) {
        previous_abort = ggml_set_abort_callback(abort_reporter);
        abort_reporter_installed = true;
    }
    size_t before = ggml_backend_dev_count();
    ggml_backend_reg_t reg = add(endpoint.c_str());
    if (reg == nullptr) {
        return env->NewStringUTF(("{\"error\":" + quote("cannot add RPC server " + endpoint) + "}").c_str());
    }
    ggml_backend_register(reg);
    std::string s = "[";
    for (size_t i = before; i < ggml_backend_dev_count(); i++) {
        if (i > before) {
            s += ",";
        }
        s += device_json(ggml_backend_dev_get(i), i);
    }
    s += "]";
    return env->NewStringUTF(s.c_str());
}

// Serves this process's devices to RPC clients at endpoint (host:port) until the process ends.
// Devices: the named ones (comma list), else every non-CPU device, else the CPU (as llama.cpp's
// rpc-server does). Returns only on an error, as its one-line reason.
JNIEXPORT jstring JNICALL Java_dev_minillm_engine_gpu_GpuNative_serveRpc(JNIEnv * env, jclass, jstring jendpoint,
                                                                       jint threads, jstring jdevices, jstring jcache) {
    std::string endpoint = jstring_to_std(env, jendpoint);
    std::string names = jstring_to_std(env, jdevices);
    std::string cache = jstring_to_std(env, jcache);
    ggml_backend_reg_t rpc = ggml_backend_reg_by_name("RPC");
    if (rpc == nullptr) {
        return env->NewStringUTF("this build has no RPC backend (configure llama.cpp with GGML_RPC=ON)");
    }
    typedef void (*start_fn)(const char *, const char *, size_t, size_t, ggml_backend_dev_t *);
    auto start = (start_fn) ggml_backend_reg_get_proc_address(rpc, "ggml_backend_rpc_start_server");
    if (start == nullptr) {
        return env->NewStringUTF("the RPC backend has no ggml_backend_rpc_start_server");
    }
    std::vector<ggml_backend_dev_t> devs;
    size_t pos = 0;
    while (!names.empty() && pos <= names.size()) {
        size_t comma = names.find(',', pos);
        std::string name = names.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        ggml_backend_dev_t d = ggml_backend_dev_by_name(name.c_str());
        if (d == nullptr) {
            return env->NewStringUTF(("unknown device '" + name + "'").c_str());
        }
        devs.push_back(d);
        if (comma == std::string::npos) {
            break;
        }
        pos = comma + 1;
    }
    if (devs.empty()) {
        for (size_t i = 0; i < ggml_backend_dev_count(); i++) {
            ggml_backend_dev_t d = ggml_backend_dev_get(i);
            std::string backend = ggml_backend_reg_name(ggml_backend_dev_backend_reg(d));
            if (ggml_backend_dev_type(d) != GGML_BACKEND_DEVICE_TYPE_CPU && backend != "RPC") {
                devs.push_back(d);
            }
        }
    }
    if (devs.empty()) {
        ggml_backend_dev_t d = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU);
        if (d != nullptr) {
            devs.push_back(d);
        }
    }
    if (devs.empty()) {
        return env->NewStringUTF("no device to serve");
    }
    start(endpoint.c_str(), cache.empty() ? nullptr : cache.c_str(), (size_t) threads, devs.size(), devs.data());
    return env->NewStringUTF(("the RPC server on " + endpoint + " stopped (is the port in use?)").c_str());
}

JNIEXPORT void JNICALL Java_dev_minillm_engine_gpu_GpuNative_beginPlacementCapture(JNIEnv *, jclass) {
    std::lock_guard<std::mutex> g(capture_mutex);
    placement.clear();
    if (!capturing) {
        llama_log_get(&previous_cb, &previous_ud);
        llama_log_set(capture_cb, nullptr);
        capturing = true;
    }
}

// The layer placement seen since beginPlacementCapture, as {"layers": ["CPU", "Vulkan0", ...]}
// indexed by layer (the last entry is the output layer), and restores the previous log callback.
JNIEXPORT jstring JNICALL Java_dev_minillm_engine_gpu_GpuNative_endPlacementCapture(JNIEnv * env, jclass) {
    std::vector<std::string> lines;
    {
        std::lock_guard<std::mutex> g(capture_mutex);
        if (capturing) {
            llama_log_set(previous_cb, previous_ud);
            capturing = false;
        }
        lines.swap(placement);
    }
    std::vector<std::string> by_layer;
    for (const auto & l : lines) {
        size_t sp = l.find(' ');
        int layer = std::stoi(l.substr(0, sp));
        if (layer < 0 || layer > 100000) {
            continue;
        }
        if ((size_t) layer >= by_layer.size()) {
            by_layer.resize(layer + 1);
        }
        by_layer[layer] = l.substr(sp + 1);
    }
    std::string s = "{\"layers\":[";
    for (size_t i = 0; i < by_layer.size(); i++) {
        s += (i > 0 ? "," : "") + quote(by_layer[i]);
    }
    s += "]}";
    return env->NewStringUTF(s.c_str());
}

// Bytes per buffer type of one context: the model's weights, the context (KV cache) and the
// compute buffers, with the device each buffer type belongs to. null when the llama.cpp release
// has no breakdown API.
JNIEXPORT jstring JNICALL Java_dev_minillm_engine_gpu_GpuNative_memoryBreakdown(JNIEnv * env, jclass, jlong ctxHandle) {
#ifdef MINILLM_HAVE_BREAKDOWN
    auto * ctx = reinterpret_cast<const llama_context *>(ctxHandle);
    if (ctx == nullptr) {
        return nullptr;
    }
    llama_memory_breakdown mb = llama_get_memory_breakdown(ctx);
    std::string s = "[";
    bool first = true;
    for (const auto & [buft, data] : mb) {
        ggml_backend_dev_t dev = ggml_backend_buft_get_device(buft);
        s += first ? "{" : ",{";
        first = false;
        s += "\"buffer_type\":" + quote(ggml_backend_buft_name(buft));
        s += ",\"device\":" + (dev ? quote(ggml_backend_dev_name(dev)) : std::string("null"));
        s += ",\"device_type\":" + (dev ? quote(type_name(ggml_backend_dev_type(dev))) : std::string("null"));
        s += std::string(",\"host\":") + (ggml_backend_buft_is_host(buft) ? "true" : "false");
        s += ",\"model_bytes\":" + std::to_string(data.model);
        s += ",\"context_bytes\":" + std::to_string(data.context);
        s += ",\"compute_bytes\":" + std::to_string(data.compute);
        s += "}";
    }
    s += "]";
    return env->NewStringUTF(s.c_str());
#else
    (void) ctxHandle;
    return nullptr;
#endif
}

}  // extern "C"
