// Does a warp's load that hits in L2 return before an earlier load of the same warp that
// misses to HBM? One warp (32 lanes, one 128-B line per load), many trials, per-trial cycle
// counts; the median is printed per mode.
//   l2        one L2-resident load, consumed
//   hbm       one load of a line not in L2, consumed
//   hbm+l2    an HBM load, then an independent L2 load; time until the L2 load is consumed
//             (about l2: loads return out of order; about hbm: in order), then until the HBM
//             load is consumed
//   round     the gather-flat4 pattern: 4 x (L2 index load, then a dependent HBM chunk load
//             not consumed), then all chunks consumed: cycles per round
//   round-l2  the same with the chunks L2-resident
// Each mode twice: loads that bypass L1 (ld.global.cg) and plain loads (L1-cached).
// Build: nvcc -O3 -arch=sm_90 -o probe-order probe-order.cu
#include <cuda_runtime.h>
#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <vector>

#define CK(x)                                                          \
  do {                                                                 \
    cudaError_t e_ = (x);                                              \
    if (e_ != cudaSuccess) {                                           \
      printf("CUDA error %s at %d\n", cudaGetErrorString(e_), __LINE__); \
      return 1;                                                        \
    }                                                                  \
  } while (0)

typedef unsigned long long u64;

__device__ __forceinline__ u64 clk() {
  u64 t;
  asm volatile("mov.u64 %0, %%clock64;" : "=l"(t)::"memory");
  return t;
}

template <bool CG>
__device__ __forceinline__ int ld(const int* p) {
  int v;
  if (CG) {
    asm volatile("ld.global.cg.u32 %0, [%1];" : "=r"(v) : "l"(p) : "memory");
  } else {
    asm volatile("ld.global.u32 %0, [%1];" : "=r"(v) : "l"(p) : "memory");
  }
  return v;
}

__device__ __forceinline__ u64 mix(u64 x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

// far: `farInts` ints (GiBs, never in L2 twice); near: L2-resident (read by warm()).
// idx[k] of trial t: a line number in far (built on the host), so an index is L2-resident.
template <bool CG>
__global__ void probe(const int* far, long farLines, const int* near, long nearLines,
                      const int* idx, int trials, int mode, int salt, u64* out, int* sink) {
  __shared__ volatile int s[64];
  int lane = threadIdx.x;
  int acc = 0;
  for (int t = 0; t < trials; t++) {
    u64 h = mix(0x9e3779b97f4a7c15ULL * (t + 1) + mode * 7919 + salt * 104729);
    const int* f = far + (h % farLines) * 32 + lane;
    const int* n = near + ((h >> 20) % nearLines) * 32 + lane;
    u64 t0, t1 = 0, t2 = 0;
    __syncwarp();
    if (mode == 0) {
      t0 = clk();
      int b = ld<CG>(n);
      s[lane] = b;
      t1 = clk();
    } else if (mode == 1) {
      t0 = clk();
      int a = ld<CG>(f);
      s[lane] = a;
      t1 = clk();
    } else if (mode == 2) {
      t0 = clk();
      int a = ld<CG>(f);
      int b = ld<CG>(n);
      s[lane] = b;
      t1 = clk();
      s[32 + lane] = a;
      t2 = clk();
    } else {
      // round: indices from idx (L2-resident), chunks from far (mode 3) or near (mode 4)
      const int* base = mode == 3 ? far : near;
      long lines = mode == 3 ? farLines : nearLines;
      const int* ix = idx + (long)t * 4 * 32;
      lines -= salt; // another far line for each run: one never read before
      t0 = clk();
      int c0, c1, c2, c3;
      int i0 = ld<CG>(ix + lane);
      c0 = ld<CG>(base + ((long)(i0 & 0x7fffffff) % lines) * 32 + lane);
      int i1 = ld<CG>(ix + 32 + lane);
      c1 = ld<CG>(base + ((long)(i1 & 0x7fffffff) % lines) * 32 + lane);
      int i2 = ld<CG>(ix + 64 + lane);
      c2 = ld<CG>(base + ((long)(i2 & 0x7fffffff) % lines) * 32 + lane);
      int i3 = ld<CG>(ix + 96 + lane);
      c3 = ld<CG>(base + ((long)(i3 & 0x7fffffff) % lines) * 32 + lane);
      s[lane] = c0 + c1 + c2 + c3;
      t1 = clk();
    }
    acc += s[lane];
    if (lane == 0) {
      out[t * 2] = t1 - t0;
      out[t * 2 + 1] = t2 ? t2 - t0 : 0;
    }
  }
  if (acc == 0x12345) sink[0] = acc;
}

__global__ void warm(const int* p, long ints, int* sink) {
  int a = 0;
  for (long i = blockIdx.x * (long)blockDim.x + threadIdx.x; i < ints;
       i += (long)gridDim.x * blockDim.x) {
    a += __ldcg(p + i);
  }
  if (a == 0x12345) sink[0] = a;
}

static u64 median(std::vector<u64> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int main() {
  const long farBytes = 8L << 30;  // 8 GiB: a fresh region for every trial
  const long nearBytes = 8L << 20; // 8 MiB: fits one L2 partition's share
  const int trials = 512;
  int *far, *near, *idx, *sink;
  u64* out;
  CK(cudaMalloc(&far, farBytes));
  CK(cudaMalloc(&near, nearBytes));
  CK(cudaMalloc(&idx, (long)trials * 4 * 32 * sizeof(int)));
  CK(cudaMalloc(&sink, 64));
  CK(cudaMalloc(&out, trials * 2 * sizeof(u64)));
  CK(cudaMemset(far, 0, farBytes));
  CK(cudaMemset(near, 0, nearBytes));
  long farLines = farBytes / 128, nearLines = nearBytes / 128;
  std::vector<int> hidx((long)trials * 4 * 32);
  uint64_t x = 88172645463325252ULL;
  for (long i = 0; i < (long)trials * 4; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    int line = (int)(x % (uint64_t)2147483647);
    for (int l = 0; l < 32; l++) hidx[i * 32 + l] = line; // a warp's lanes share a line
  }
  CK(cudaMemcpy(idx, hidx.data(), hidx.size() * sizeof(int), cudaMemcpyHostToDevice));
  const char* names[] = {"l2", "hbm", "hbm+l2", "round", "round-l2"};
  std::vector<u64> h(trials * 2);
  for (int cg = 1; cg >= 0; cg--) {
    for (int mode = 0; mode < 5; mode++) {
      for (int rep = 0; rep < 2; rep++) {
        // the near buffer and the index lists into L2 (on all SMs, not in this SM's L1 only)
        warm<<<264, 256>>>(near, nearBytes / 4, sink);
        warm<<<264, 256>>>(idx, (long)trials * 4 * 32, sink);
        if (cg) {
          probe<true><<<1, 32>>>(far, farLines, near, nearLines, idx, trials, mode, (1 - cg) * 10 + mode * 2 + rep, out, sink);
        } else {
          probe<false><<<1, 32>>>(far, farLines, near, nearLines, idx, trials, mode, (1 - cg) * 10 + mode * 2 + rep, out, sink);
        }
        CK(cudaDeviceSynchronize());
        CK(cudaMemcpy(h.data(), out, h.size() * sizeof(u64), cudaMemcpyDeviceToHost));
        std::vector<u64> a, b;
        for (int t = 8; t < trials; t++) { // the first trials warm the code and TLB
          a.push_back(h[t * 2]);
          b.push_back(h[t * 2 + 1]);
        }
        printf("%s,%s,rep%d,first=%llu,second=%llu\n", cg ? "cg" : "ca", names[mode], rep,
               median(a), median(b));
      }
    }
  }
  return 0;
}
