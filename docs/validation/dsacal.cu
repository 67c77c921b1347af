// Decode-step gather experiments on an NVIDIA GPU, as described in the H200 calibration README:
// a KV buffer [seq][layer][ctx][entry_bytes], persist-uniform selections, one CUDA graph of
// `steps` decode steps (per layer: a gather kernel, then a stream kernel if stream_mb > 0),
// replayed 6 times, the first replay discarded, median replay time / steps.
// Build: nvcc -O3 -arch=sm_90 -o dsacal dsacal.cu
// Usage: dsacal ROWS.csv > measured.csv   (ROWS.csv has the calibration.csv columns, and
// optionally grid and block: an explicit launch shape; kernel 'empty' launches empty blocks)
#include <cuda_runtime.h>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>
#define CK(x)                                                                     \
  do {                                                                            \
    cudaError_t e_ = (x);                                                         \
    if (e_ != cudaSuccess) {                                                      \
      printf("CUDA %s at line %d: %s\n", #x, __LINE__, cudaGetErrorString(e_)); \
      exit(1);                                                                    \
    }                                                                             \
  } while (0)

typedef unsigned long long u64;

// One warp per entry, grid-stride; lane i loads chunks i, i+32, ... of the entry after the index.
__global__ void gather_warp(const uint8_t* kv, const int* ix, long n, int topk, int layers,
                            int layer, long ctx, int eb, float* out) {
  long w = (blockIdx.x * (long)blockDim.x + threadIdx.x) >> 5;
  long nw = (gridDim.x * (long)blockDim.x) >> 5;
  int lane = threadIdx.x & 31, ch = eb >> 4;
  float a = 0;
  for (long e = w; e < n; e += nw) {
    long s = e / topk;
    int t = ix[e];
    const float4* p = (const float4*)(kv + ((s * layers + layer) * ctx + t) * (long)eb);
    for (int c = lane; c < ch; c += 32) {
      float4 v = p[c];
      a += v.x + v.y + v.z + v.w;
    }
  }
  if (a == 1.2345f) out[0] = a;
}

// Items (entry, chunk) flattened; 4 items per thread per round, all 4 loads before any use.
__global__ void gather_flat4(const uint8_t* kv, const int* ix, long items, int topk, int layers,
                             int layer, long ctx, int eb, float* out) {
  long T = gridDim.x * (long)blockDim.x;
  long i0 = blockIdx.x * (long)blockDim.x + threadIdx.x;
  long ch = eb >> 4;
  float a = 0;
  for (long i = i0; i < items; i += 4 * T) {
    float4 v[4];
#pragma unroll
    for (int j = 0; j < 4; j++) {
      long it = i + j * T;
      v[j] = make_float4(0, 0, 0, 0);
      if (it < items) {
        long e = it / ch, c = it - e * ch, s = e / topk;
        int t = ix[e];
        v[j] = ((const float4*)(kv + ((s * layers + layer) * ctx + t) * (long)eb))[c];
      }
    }
#pragma unroll
    for (int j = 0; j < 4; j++) a += v[j].x + v[j].y + v[j].z + v[j].w;
  }
  if (a == 1.2345f) out[0] = a;
}

// An empty kernel: the cost of launching a grid of blocks that do nothing.
__global__ void empty_kernel(float* out) {
  if (threadIdx.x == 1023) out[0] = 0;
}

__global__ void stream_read(const float4* b, long n16, float* out) {
  long T = gridDim.x * (long)blockDim.x;
  float a = 0;
  for (long i = blockIdx.x * (long)blockDim.x + threadIdx.x; i < n16; i += T) {
    float4 v = b[i];
    a += v.x + v.y + v.z + v.w;
  }
  if (a == 1.2345f) out[0] = a;
}

struct Row {
  char id[64], kernel[32];
  int seqs, layers, ctx, eb, topk, stream_mb, l2w, steps, grid, block;
  double persist;
};

// persist-uniform: keep round(persist*topk) of the previous set, fill with distinct uniform
// tokens, sort ascending. Output [step][layer][seq][topk].
static void selections(const Row& r, std::vector<int>& out, u64 seed) {
  std::mt19937_64 rng(seed);
  long per = (long)r.seqs * r.topk;
  out.assign((long)r.steps * r.layers * per, 0);
  std::vector<u64> stamp(r.ctx, 0);
  u64 gen = 0;
  std::vector<int> prev;
  for (int st = 0; st < r.steps; st++)
    for (int l = 0; l < r.layers; l++)
      for (int s = 0; s < r.seqs; s++) {
        int* cur = &out[((long)st * r.layers + l) * per + (long)s * r.topk];
        int n = 0;
        gen++;
        if (st > 0 && r.persist > 0) {
          const int* pv = &out[((long)(st - 1) * r.layers + l) * per + (long)s * r.topk];
          prev.assign(pv, pv + r.topk);
          int keep = (int)llround(r.persist * r.topk);
          for (int i = 0; i < keep; i++) {
            int j = i + (int)(rng() % (u64)(r.topk - i));
            std::swap(prev[i], prev[j]);
            cur[n++] = prev[i];
            stamp[prev[i]] = gen;
          }
        }
        while (n < r.topk) {
          int t = (int)(rng() % (u64)r.ctx);
          if (stamp[t] == gen) continue;
          stamp[t] = gen;
          cur[n++] = t;
        }
        std::sort(cur, cur + r.topk);
      }
}

int main(int argc, char** argv) {
  if (argc < 2) {
    printf("usage: dsacal ROWS.csv\n");
    return 2;
  }
  std::vector<Row> rows;
  FILE* f = fopen(argv[1], "r");
  if (!f) {
    printf("cannot open %s\n", argv[1]);
    return 2;
  }
  char line[512];
  while (fgets(line, sizeof line, f)) {
    Row r;
    if (strncmp(line, "id,", 3) == 0 || line[0] == '#' || line[0] == '\n') continue;
    for (char* c = line; *c; c++)
      if (*c == ',') *c = ' ';
    r.grid = 0;
    r.block = 256;
    int got = sscanf(line, "%63s %31s %d %d %d %d %d %lf %d %d %d %d %d", r.id, r.kernel, &r.seqs,
                     &r.layers, &r.ctx, &r.eb, &r.topk, &r.persist, &r.stream_mb, &r.l2w, &r.steps,
                     &r.grid, &r.block);
    if (got != 11 && got != 13) {
      printf("bad row: %s\n", line);
      return 2;
    }
    rows.push_back(r);
  }
  fclose(f);
  cudaDeviceProp p;
  CK(cudaGetDeviceProperties(&p, 0));
  fprintf(stderr, "# %s SMs %d L2 %d persistMax %d windowMax %d\n", p.name, p.multiProcessorCount,
          p.l2CacheSize, p.persistingL2CacheMaxSize, p.accessPolicyMaxWindowSize);
  int ob[3];
  CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&ob[0], gather_warp, 256, 0));
  CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&ob[1], gather_flat4, 256, 0));
  CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&ob[2], stream_read, 512, 0));
  fprintf(stderr, "# resident blocks per SM: gather-warp %d gather-flat4 %d stream %d\n", ob[0], ob[1],
          ob[2]);
  size_t kvMax = 0, ixMax = 0;
  for (auto& r : rows) {
    kvMax = std::max(kvMax, (size_t)r.seqs * r.layers * r.ctx * r.eb);
    ixMax = std::max(ixMax, (size_t)r.steps * r.layers * r.seqs * r.topk);
  }
  const size_t SB = 4ull << 30;
  uint8_t *kv, *sb;
  int* ix;
  float* out;
  CK(cudaMalloc(&kv, kvMax));
  CK(cudaMalloc(&sb, SB));
  CK(cudaMalloc(&ix, ixMax * 4));
  CK(cudaMalloc(&out, 64));
  CK(cudaMemset(kv, 0x3c, kvMax));
  CK(cudaMemset(sb, 0x3d, SB));
  cudaStream_t cs;
  CK(cudaStreamCreateWithFlags(&cs, cudaStreamNonBlocking));
  cudaEvent_t e0, e1;
  CK(cudaEventCreate(&e0));
  CK(cudaEventCreate(&e1));
  printf("id,kernel,seqs,layers,ctx,entry_bytes,topk,persist,stream_mb,l2_window,steps,"
         "measured_step_us,measured_gather_us,measured_stream_us,grid,block\n");
  std::vector<int> sel;
  u64 soff = 0;
  for (size_t ri = 0; ri < rows.size(); ri++) {
    Row& r = rows[ri];
    selections(r, sel, 1000 + ri);
    CK(cudaMemcpy(ix, sel.data(), sel.size() * 4, cudaMemcpyHostToDevice));
    bool flat = strcmp(r.kernel, "gather-flat4") == 0;
    bool empty = strcmp(r.kernel, "empty") == 0;
    long n = (long)r.seqs * r.topk, items = n * (r.eb / 16);
    long gw = flat ? std::min((items + 1023) / 1024, (long)p.multiProcessorCount * 8)
                   : std::min((n * 32 + 255) / 256, (long)p.multiProcessorCount * 8);
    if (r.grid > 0) gw = r.grid;
    size_t kvBytes = (size_t)r.seqs * r.layers * r.ctx * r.eb;
    size_t sBytes = (size_t)r.stream_mb << 20;
    double t[2] = {0, 0};
    if (r.l2w) CK(cudaDeviceSetLimit(cudaLimitPersistingL2CacheSize, p.persistingL2CacheMaxSize));
    for (int pass = 0; pass < (r.stream_mb > 0 ? 2 : 1); pass++) {
      bool withGather = pass == 0;
      CK(cudaStreamBeginCapture(cs, cudaStreamCaptureModeGlobal));
      for (int st = 0; st < r.steps; st++)
        for (int l = 0; l < r.layers; l++) {
          const int* ixl = ix + ((long)st * r.layers + l) * n;
          if (withGather) {
            if (empty)
              empty_kernel<<<gw, r.block, 0, cs>>>(out);
            else if (flat)
              gather_flat4<<<gw, r.block, 0, cs>>>(kv, ixl, items, r.topk, r.layers, l, r.ctx, r.eb, out);
            else
              gather_warp<<<gw, r.block, 0, cs>>>(kv, ixl, n, r.topk, r.layers, l, r.ctx, r.eb, out);
          }
          if (sBytes) {
            if (soff + sBytes > SB) soff = 0;
            stream_read<<<p.multiProcessorCount * 4, 512, 0, cs>>>((const float4*)(sb + soff),
                                                                  (long)(sBytes / 16), out);
            soff += sBytes;
          }
        }
      cudaGraph_t g;
      CK(cudaStreamEndCapture(cs, &g));
      if (r.l2w && withGather) {
        size_t win = std::min(kvBytes, (size_t)p.accessPolicyMaxWindowSize);
        size_t nn = 0;
        CK(cudaGraphGetNodes(g, nullptr, &nn));
        std::vector<cudaGraphNode_t> nodes(nn);
        CK(cudaGraphGetNodes(g, nodes.data(), &nn));
        for (auto nd : nodes) {
          cudaKernelNodeParams kp;
          CK(cudaGraphKernelNodeGetParams(nd, &kp));
          if (kp.func != (void*)gather_warp && kp.func != (void*)gather_flat4) continue;
          cudaKernelNodeAttrValue v;
          memset(&v, 0, sizeof v);
          v.accessPolicyWindow.base_ptr = kv;
          v.accessPolicyWindow.num_bytes = win;
          v.accessPolicyWindow.hitRatio =
              (float)std::min(1.0, (double)p.persistingL2CacheMaxSize / (double)win);
          v.accessPolicyWindow.hitProp = cudaAccessPropertyPersisting;
          v.accessPolicyWindow.missProp = cudaAccessPropertyStreaming;
          CK(cudaGraphKernelNodeSetAttribute(nd, cudaKernelNodeAttributeAccessPolicyWindow, &v));
        }
      }
      cudaGraphExec_t ge;
      CK(cudaGraphInstantiate(&ge, g, 0));
      std::vector<float> ms;
      for (int rep = 0; rep < 6; rep++) {
        CK(cudaEventRecord(e0, cs));
        CK(cudaGraphLaunch(ge, cs));
        CK(cudaEventRecord(e1, cs));
        CK(cudaEventSynchronize(e1));
        float m;
        CK(cudaEventElapsedTime(&m, e0, e1));
        if (rep > 0) ms.push_back(m);
      }
      CK(cudaGetLastError());
      std::sort(ms.begin(), ms.end());
      t[pass] = ms[ms.size() / 2] * 1000.0 / r.steps;
      CK(cudaGraphExecDestroy(ge));
      CK(cudaGraphDestroy(g));
    }
    if (r.l2w) {
      CK(cudaCtxResetPersistingL2Cache());
      CK(cudaDeviceSetLimit(cudaLimitPersistingL2CacheSize, 0));
    }
    double gather = r.stream_mb > 0 ? t[0] - t[1] : t[0];
    printf("%s,%s,%d,%d,%d,%d,%d,%.2f,%d,%d,%d,%.2f,%.2f,%.2f,%ld,%d\n", r.id, r.kernel, r.seqs,
           r.layers, r.ctx, r.eb, r.topk, r.persist, r.stream_mb, r.l2w, r.steps, t[0], gather, t[1],
           gw, r.block);
    fflush(stdout);
  }
  return 0;
}
