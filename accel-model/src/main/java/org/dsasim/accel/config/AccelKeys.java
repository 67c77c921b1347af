package org.dsasim.accel.config;

import org.dsasim.core.config.ConfigKey;
import org.dsasim.core.config.ConfigSchema;
import org.dsasim.core.config.ConfigSchemaProvider;
import org.dsasim.core.config.Units;

/**
 * Configuration keys of the accelerator model: its compute units ({@code compute.*}), the
 * instruction costs of its kernels ({@code kernels.*}), the memory fidelity ({@code memory.*}),
 * the fast timed memory model ({@code fastmem.*}), the model being served ({@code model.*}) and the decode run
 * ({@code decode.*}). Defaults are an H200 serving DeepSeek-V3.2; the presets in
 * {@code configs/hardware} and {@code configs/model} set every value with its source.
 */
public final class AccelKeys implements ConfigSchemaProvider {
  // ------------------------------------------------------------------ compute units

  public static final ConfigKey<Integer> SMS = ConfigKey.integer("compute.sms")
      .defaultValue("132").range("1", "4096").meaning("compute units (SMs, CUs)");
  public static final ConfigKey<Double> CLOCK = ConfigKey.frequency("compute.clock")
      .defaultValue("1.98GHz").range("1MHz", "100GHz").meaning("compute-unit clock");
  public static final ConfigKey<Integer> MAX_WARPS = ConfigKey.integer("compute.max_warps_per_sm")
      .defaultValue("64").range("1", "1024").meaning("resident warps (wavefronts) per unit");
  public static final ConfigKey<Integer> MAX_THREADS =
      ConfigKey.integer("compute.max_threads_per_sm").defaultValue("2048").range("32", "65536")
          .meaning("resident threads per unit");
  public static final ConfigKey<Integer> MAX_BLOCKS =
      ConfigKey.integer("compute.max_blocks_per_sm").defaultValue("32").range("1", "1024")
          .meaning("resident thread blocks per unit");
  public static final ConfigKey<Integer> REGISTERS =
      ConfigKey.integer("compute.registers_per_sm").defaultValue("65536").range("1024", "16777216")
          .meaning("32-bit registers per unit (with the block size, sets occupancy)");
  public static final ConfigKey<Integer> REGISTER_UNIT =
      ConfigKey.integer("compute.register_alloc_unit").defaultValue("256").range("1", "65536")
          .meaning("registers are granted per warp in multiples of this");
  public static final ConfigKey<Integer> INFLIGHT_LINES =
      ConfigKey.integer("compute.max_inflight_lines_per_sm").defaultValue("512")
          .range("1", "1000000")
          .meaning("outstanding 128 B line requests per unit (L1 miss-status registers)");
  public static final ConfigKey<Long> L1_CAPACITY = ConfigKey.size("compute.l1_capacity")
      .defaultValue("128KiB").range("0", "64MiB")
      .meaning("L1 data capacity in which index-like loads hit and merge");
  public static final ConfigKey<Units.Time> L1_HIT = ConfigKey.time("compute.l1_hit_latency")
      .defaultValue("40cycles").range("0", "1ms")
      .meaning("load-to-use latency of an L1 hit");
  public static final ConfigKey<Integer> ISSUE_WIDTH = ConfigKey.integer("compute.issue_width")
      .defaultValue("4").range("1", "64").meaning("warp instructions issued per cycle per unit");
  public static final ConfigKey<Double> TENSOR_FLOPS =
      ConfigKey.number("compute.tensor_flops_per_cycle").defaultValue("4096").range("1", "1e15")
          .meaning("dense bf16 matrix FLOPs per cycle per unit");
  public static final ConfigKey<Double> FP8_SPEEDUP = ConfigKey.number("compute.fp8_speedup")
      .defaultValue("2").range("0.1", "100").meaning("fp8 matrix rate over the bf16 rate");
  public static final ConfigKey<Double> VECTOR_FLOPS =
      ConfigKey.number("compute.vector_flops_per_cycle").defaultValue("256").range("1", "1e15")
          .meaning("fp32 FLOPs per cycle per unit (non-matrix arithmetic)");
  public static final ConfigKey<Long> KERNEL_LAUNCH =
      ConfigKey.duration("compute.kernel_launch_overhead").defaultValue("0.45us").range("0", "1s")
          .meaning("from the end of a kernel of a CUDA graph to the first block of the next");
  public static final ConfigKey<Long> BLOCK_LAUNCH = ConfigKey.duration("compute.block_launch")
      .defaultValue("78ns").range("0", "1s")
      .meaning("interval between block starts on one unit (blocks of up to 8 warps)");
  public static final ConfigKey<Long> WARP_LAUNCH = ConfigKey.duration("compute.warp_launch")
      .defaultValue("16ns").range("0", "1s")
      .meaning("extra block start time per warp beyond the eighth");
  public static final ConfigKey<Long> BLOCK_PROLOGUE =
      ConfigKey.duration("compute.block_prologue").defaultValue("0.25us").range("0", "1s")
          .meaning("from a block's start until its warps run code needing the kernel parameters");
  public static final ConfigKey<Long> GRID_BARRIER = ConfigKey.duration("compute.grid_barrier")
      .defaultValue("1us").range("0", "1s")
      .meaning("cost of a grid-wide barrier between phases of a fused (persistent) kernel");

  // ------------------------------------------------------------------ kernel costs

  public static final ConfigKey<Integer> CONSUME_CYCLES = ConfigKey.integer("kernels.consume_cycles")
      .defaultValue("20").range("0", "100000")
      .meaning("cycles after a load returns: using its data and the loop bookkeeping");
  public static final ConfigKey<Integer> ADDRESS_CYCLES = ConfigKey.integer("kernels.address_cycles")
      .defaultValue("20").range("0", "100000")
      .meaning("cycles after an index returns: computing the entry's address");
  public static final ConfigKey<Integer> DIVISION_CYCLES =
      ConfigKey.integer("kernels.division_cycles").defaultValue("220").range("0", "100000")
          .meaning("cycles of a 64-bit integer division and the dependent integer work per entry");
  public static final ConfigKey<Integer> GATHER_WARP_REGISTERS =
      ConfigKey.integer("kernels.gather_warp_registers").defaultValue("42").range("1", "255")
          .meaning("registers per thread of the gather-warp calibration kernel");
  public static final ConfigKey<Integer> GATHER_FLAT4_REGISTERS =
      ConfigKey.integer("kernels.gather_flat4_registers").defaultValue("38").range("1", "255")
          .meaning("registers per thread of the gather-flat4 calibration kernel");
  public static final ConfigKey<Integer> STREAM_REGISTERS =
      ConfigKey.integer("kernels.stream_registers").defaultValue("32").range("1", "255")
          .meaning("registers per thread of the stream kernel");
  public static final ConfigKey<Integer> ATTENTION_ENTRIES_PER_BLOCK =
      ConfigKey.integer("kernels.attention.entries_per_block").defaultValue("64").range("1", "65536")
          .meaning("selected tokens per block of the sparse-attention kernel (its tile)");
  public static final ConfigKey<Integer> ATTENTION_WARPS =
      ConfigKey.integer("kernels.attention.warps_per_block").defaultValue("4").range("1", "32")
          .meaning("warps per block of the sparse-attention kernel");
  public static final ConfigKey<Integer> ATTENTION_IN_FLIGHT =
      ConfigKey.integer("kernels.attention.entries_in_flight").defaultValue("8").range("1", "1024")
          .meaning("KV entries a warp of the sparse-attention kernel gathers before waiting");
  public static final ConfigKey<Long> STREAM_CHUNK = ConfigKey.size("kernels.stream.chunk")
      .defaultValue("1MiB").range("2KiB", "16MiB")
      .meaning("bytes per load of the weight and index-key streams (bulk copies, grouped)");
  public static final ConfigKey<Integer> STREAM_IN_FLIGHT =
      ConfigKey.integer("kernels.stream.chunks_in_flight").defaultValue("2").range("1", "64")
          .meaning("chunks a warp of a streaming phase loads before computing on them");
  public static final ConfigKey<Integer> STREAM_BLOCKS_PER_SM =
      ConfigKey.integer("kernels.stream.blocks_per_sm").defaultValue("1").range("1", "32")
          .meaning("blocks per unit of a streaming phase (weights, indexer)");
  public static final ConfigKey<Boolean> KERNEL_REPLAY = ConfigKey.bool("kernels.replay")
      .defaultValue("true")
      .meaning("replay a stream or arithmetic launch that repeats an earlier one's work from an "
          + "idle device instead of simulating it again (faster; equal up to ps rounding); false: "
          + "simulate all");
  public static final ConfigKey<Double> TOPK_INSTRUCTIONS =
      ConfigKey.number("kernels.topk.instructions_per_key").defaultValue("1").atLeast("0")
          .meaning("warp instructions per indexer score to select the top-k (radix select)");

  // ------------------------------------------------------------------ fast memory model

  public static final ConfigKey<String> MEMORY_FIDELITY =
      ConfigKey.choice("memory.fidelity", "fast", "detailed").defaultValue("fast")
          .meaning("memory side of run and sweeps: fast (timestamped LLC partitions and HBM"
              + " channels, the fastmem.* keys) or detailed (the event-driven mem-hierarchy LLC,"
              + " reservation controller and JEDEC HBM of memory.detailed.preset; far slower)");
  public static final ConfigKey<String> DETAILED_PRESET = ConfigKey.string("memory.detailed.preset")
      .defaultValue("auto")
      .meaning("detailed: memory preset (configs/memory/NAME.yaml and its hierarchy section);"
          + " auto: the one named like the hardware preset");
  public static final ConfigKey<Long> LLC_CAPACITY = ConfigKey.size("fastmem.llc.capacity")
      .defaultValue("60MiB").range("128KiB", "16GiB").meaning("LLC capacity");
  public static final ConfigKey<Integer> LLC_PARTITIONS = ConfigKey.integer("fastmem.llc.partitions")
      .defaultValue("2").range("1", "64").meaning("LLC partitions (near and far halves)");
  public static final ConfigKey<Integer> LLC_WAYS = ConfigKey.integer("fastmem.llc.ways")
      .defaultValue("16").range("1", "16").meaning("LLC associativity (at most 16 in this model)");
  public static final ConfigKey<Long> LLC_FETCH = ConfigKey.size("fastmem.llc.fetch")
      .defaultValue("64B").range("32B", "128B")
      .meaning("LLC-to-DRAM fetch granularity (sectors per miss, rounded up)");
  public static final ConfigKey<Long> LLC_PARTITION_INTERLEAVE =
      ConfigKey.size("fastmem.llc.partition_interleave").defaultValue("4KiB")
          .range("128B", "1GiB").meaning("address granule homed to one LLC partition");
  public static final ConfigKey<Boolean> LLC_REPLICATE = ConfigKey.bool("fastmem.llc.replicate_near")
      .defaultValue("true")
      .meaning("lines read from the far side are also kept in the near partition (capacity)");
  public static final ConfigKey<Units.Time> LLC_NEAR = ConfigKey.time("fastmem.llc.near_hit_latency")
      .defaultValue("146ns").range("0", "1ms")
      .meaning("load-to-use latency of an LLC hit homed in the near partition");
  public static final ConfigKey<Units.Time> LLC_FAR = ConfigKey.time("fastmem.llc.far_hit_latency")
      .defaultValue("270ns").range("0", "1ms")
      .meaning("load-to-use latency of an LLC hit homed in a far partition");
  public static final ConfigKey<Double> LLC_BANDWIDTH = ConfigKey.bandwidth("fastmem.llc.bandwidth")
      .defaultValue("10TB/s").range("1GB/s", "1000000TB/s")
      .meaning("LLC hit bandwidth, all partitions together");
  public static final ConfigKey<Long> LLC_SET_ASIDE_MAX = ConfigKey.size("fastmem.llc.set_aside_max")
      .defaultValue("37.5MiB").atLeast("0")
      .meaning("largest persisting set-aside (access-policy window)");
  public static final ConfigKey<Double> LLC_SET_ASIDE_PENALTY =
      ConfigKey.number("fastmem.llc.set_aside_bandwidth_penalty").defaultValue("0.11")
          .range("0", "0.9").meaning("HBM bandwidth lost while a persisting set-aside exists");
  public static final ConfigKey<Long> LLC_RESERVATION = ConfigKey.size("fastmem.llc.reservation")
      .defaultValue("0B").atLeast("0")
      .meaning("LLC capacity given to the token-granular LRU reservation of KV entries (0: none)");
  public static final ConfigKey<String> LLC_RESERVATION_KIND = ConfigKey.choice(
      "fastmem.llc.reservation_kind", "token-lru", "prev-topk", "page")
      .defaultValue("token-lru")
      .meaning("what the KV reservation keeps: token-lru (entries, LRU: the proposal),"
          + " prev-topk (only the previous step's gathered entries) or page (64-token pages,"
          + " LRU; a miss fetches only its entry)");
  public static final ConfigKey<String> LLC_RESERVATION_SHARING = ConfigKey.choice(
      "fastmem.llc.reservation_sharing",
      org.dsasim.mem.reservation.SharingPolicies.names().toArray(new String[0]))
      .defaultValue("pool")
      .meaning("how the KV reservation's entries are shared: pool (one LRU), per-layer or"
          + " per-sequence (equal quotas, LRU within each)");
  public static final ConfigKey<String> LLC_RESERVATION_ADMISSION = ConfigKey.choice(
      "fastmem.llc.reservation_admission",
      org.dsasim.mem.reservation.AdmissionPolicies.names().toArray(new String[0]))
      .defaultValue("all")
      .meaning("which gathered KV entries enter the reservation on a miss: all, second-touch"
          + " (gathered again in a later decode step) or none");
  public static final ConfigKey<Integer> LLC_RESERVATION_GHOST =
      ConfigKey.integer("fastmem.llc.reservation_ghost_entries").defaultValue("0").atLeast("0")
          .meaning("entries second-touch admission remembers (0: as many as the reservation"
              + " holds)");
  public static final ConfigKey<Double> HBM_PEAK = ConfigKey.bandwidth("fastmem.hbm.peak_bandwidth")
      .defaultValue("4.8TB/s").range("1GB/s", "1000000TB/s").meaning("HBM peak bandwidth");
  public static final ConfigKey<Double> HBM_EFFICIENCY = ConfigKey.number("fastmem.hbm.efficiency")
      .defaultValue("0.955").range("0.1", "1").meaning("achievable share of the peak (streaming)");
  public static final ConfigKey<Integer> HBM_CHANNELS = ConfigKey.integer("fastmem.hbm.channels")
      .defaultValue("192").range("1", "65536").meaning("independent (pseudo-)channels");
  public static final ConfigKey<Integer> HBM_BANKS = ConfigKey.integer("fastmem.hbm.banks_per_channel")
      .defaultValue("32").range("1", "1024").meaning("banks per channel (open rows tracked)");
  public static final ConfigKey<Long> HBM_ROW = ConfigKey.size("fastmem.hbm.row")
      .defaultValue("1KiB").range("64B", "64KiB").meaning("row (page) size per channel");
  public static final ConfigKey<Long> HBM_INTERLEAVE = ConfigKey.size("fastmem.hbm.interleave")
      .defaultValue("256B").range("32B", "1MiB").meaning("address granule interleaved over channels");
  public static final ConfigKey<Double> HBM_ACTIVATIONS =
      ConfigKey.number("fastmem.hbm.activations_per_s").defaultValue("40e9").range("1e6", "1e15")
          .meaning("row activations per second, all channels together");
  public static final ConfigKey<Long> HBM_LOAD_TO_USE = ConfigKey.duration("fastmem.hbm.load_to_use")
      .defaultValue("350ns").range("1ns", "1ms")
      .meaning("idle load-to-use latency of a random HBM read");
  public static final ConfigKey<Long> HBM_ROW_MISS = ConfigKey.duration("fastmem.hbm.row_miss_latency")
      .defaultValue("30ns").range("0", "1ms").meaning("extra latency of a row miss (tRP + tRCD)");
  public static final ConfigKey<Long> HBM_ROW_CYCLE = ConfigKey.duration("fastmem.hbm.row_cycle")
      .defaultValue("45ns").range("0", "1ms")
      .meaning("minimum time between activations of one bank (tRC)");
  public static final ConfigKey<Long> HBM_REQUEST_PATH = ConfigKey.duration("fastmem.hbm.request_path")
      .defaultValue("150ns").range("0", "1ms")
      .meaning("part of the load-to-use latency before the request reaches its channel");
  public static final ConfigKey<Long> HBM_REFRESH_INTERVAL =
      ConfigKey.duration("fastmem.hbm.refresh_interval").defaultValue("3.9us").range("1ns", "1s")
          .meaning("per-bank refresh period (tREFI)");
  public static final ConfigKey<Long> HBM_REFRESH_BUSY = ConfigKey.duration("fastmem.hbm.refresh_busy")
      .defaultValue("200ns").range("0", "1ms").meaning("time a bank is busy refreshing (tRFCpb)");
  public static final ConfigKey<Long> XBAR_REQUEST_LATENCY =
      ConfigKey.duration("fastmem.interconnect.request_latency").defaultValue("0ns").range("0", "1ms")
          .meaning("compute unit to memory side, beyond the load-to-use latencies");
  public static final ConfigKey<Long> XBAR_RESPONSE_LATENCY =
      ConfigKey.duration("fastmem.interconnect.response_latency").defaultValue("0ns").range("0", "1ms")
          .meaning("memory side to compute unit, beyond the load-to-use latencies");
  public static final ConfigKey<Double> XBAR_PORT_BANDWIDTH =
      ConfigKey.bandwidth("fastmem.interconnect.port_bandwidth").defaultValue("126.72GB/s")
          .range("1MB/s", "1000000TB/s").meaning("response bandwidth into each compute unit");
  public static final ConfigKey<Double> ENERGY_LLC = ConfigKey.number("fastmem.energy.llc_pj_per_byte")
      .defaultValue("6.4").atLeast("0").meaning("energy per byte read from the LLC, interconnect included");
  public static final ConfigKey<Double> ENERGY_HBM = ConfigKey.number("fastmem.energy.hbm_pj_per_byte")
      .defaultValue("28").atLeast("0").meaning("energy per byte moved to or from HBM");
  public static final ConfigKey<Double> ENERGY_ACTIVATE =
      ConfigKey.number("fastmem.energy.hbm_activate_pj").defaultValue("900").atLeast("0")
          .meaning("energy per HBM row activation (with its precharge)");
  public static final ConfigKey<Double> ENERGY_FLOP = ConfigKey.number("compute.energy_pj_per_flop")
      .defaultValue("0.4").atLeast("0").meaning("energy per matrix FLOP of the compute units");

  // ------------------------------------------------------------------ model

  public static final ConfigKey<String> MODEL_NAME = ConfigKey.string("model.name")
      .defaultValue("deepseek-v3.2").meaning("model name (for reports)");
  public static final ConfigKey<String> MODEL_ATTENTION = ConfigKey.choice("model.attention", "mla",
      "gqa").defaultValue("mla").meaning("attention form: mla (latent, absorbed) or gqa");
  public static final ConfigKey<Integer> MODEL_LAYERS = ConfigKey.integer("model.layers")
      .defaultValue("61").range("1", "1024").meaning("transformer layers");
  public static final ConfigKey<Integer> MODEL_LAYERS_PER_GPU = ConfigKey.integer("model.layers_per_gpu")
      .defaultValue("61").range("1", "1024").meaning("layers one GPU runs (pipeline share)");
  public static final ConfigKey<Integer> MODEL_DENSE_LAYERS = ConfigKey.integer("model.dense_layers")
      .defaultValue("3").range("0", "1024").meaning("leading layers with a dense FFN (rest MoE)");
  public static final ConfigKey<Integer> MODEL_DIM = ConfigKey.integer("model.dim")
      .defaultValue("7168").range("1", "1000000").meaning("hidden size");
  public static final ConfigKey<Integer> MODEL_HEADS = ConfigKey.integer("model.heads")
      .defaultValue("128").range("1", "4096").meaning("query heads");
  public static final ConfigKey<Integer> MODEL_KV_HEADS = ConfigKey.integer("model.kv_heads")
      .defaultValue("1").range("1", "4096").meaning("key/value heads (GQA)");
  public static final ConfigKey<Integer> MODEL_HEAD_DIM = ConfigKey.integer("model.head_dim")
      .defaultValue("128").range("1", "4096").meaning("head dimension (GQA)");
  public static final ConfigKey<Integer> MODEL_Q_LORA = ConfigKey.integer("model.q_lora_rank")
      .defaultValue("1536").range("0", "100000").meaning("query compression rank (MLA)");
  public static final ConfigKey<Integer> MODEL_KV_LORA = ConfigKey.integer("model.kv_lora_rank")
      .defaultValue("512").range("0", "100000").meaning("KV latent rank (MLA)");
  public static final ConfigKey<Integer> MODEL_QK_NOPE = ConfigKey.integer("model.qk_nope_head_dim")
      .defaultValue("128").range("0", "4096").meaning("non-rotary query/key head dimension (MLA)");
  public static final ConfigKey<Integer> MODEL_QK_ROPE = ConfigKey.integer("model.qk_rope_head_dim")
      .defaultValue("64").range("0", "4096").meaning("rotary head dimension (MLA)");
  public static final ConfigKey<Integer> MODEL_V_HEAD = ConfigKey.integer("model.v_head_dim")
      .defaultValue("128").range("0", "4096").meaning("value head dimension (MLA)");
  public static final ConfigKey<Integer> MODEL_INDEX_HEADS = ConfigKey.integer("model.index_heads")
      .defaultValue("64").range("1", "4096").meaning("indexer heads");
  public static final ConfigKey<Integer> MODEL_INDEX_DIM = ConfigKey.integer("model.index_head_dim")
      .defaultValue("128").range("1", "4096").meaning("indexer head dimension");
  public static final ConfigKey<Integer> MODEL_TOPK = ConfigKey.integer("model.topk")
      .defaultValue("2048").range("1", "1000000").meaning("tokens selected per layer per step");
  public static final ConfigKey<Long> MODEL_ENTRY_BYTES = ConfigKey.size("model.entry_bytes")
      .defaultValue("656B").range("16B", "1MiB").meaning("KV entry of one token of one layer");
  public static final ConfigKey<Long> MODEL_INDEX_KEY_BYTES = ConfigKey.size("model.index_key_bytes")
      .defaultValue("132B").range("0B", "1MiB").meaning("indexer key of one token of one layer");
  public static final ConfigKey<Integer> MODEL_WEIGHT_BYTES = ConfigKey.integer("model.weight_bytes")
      .defaultValue("1").range("1", "8").meaning("bytes per weight (1 fp8, 2 bf16)");
  public static final ConfigKey<Integer> MODEL_DENSE_INTER = ConfigKey.integer("model.dense_inter_dim")
      .defaultValue("18432").range("0", "10000000").meaning("dense FFN inner size");
  public static final ConfigKey<Integer> MODEL_EXPERTS = ConfigKey.integer("model.experts")
      .defaultValue("256").range("0", "100000").meaning("routed experts (0: no MoE)");
  public static final ConfigKey<Integer> MODEL_ACTIVE_EXPERTS = ConfigKey.integer("model.active_experts")
      .defaultValue("8").range("0", "100000").meaning("routed experts per token");
  public static final ConfigKey<Integer> MODEL_SHARED_EXPERTS = ConfigKey.integer("model.shared_experts")
      .defaultValue("1").range("0", "100000").meaning("always-active shared experts");
  public static final ConfigKey<Integer> MODEL_MOE_INTER = ConfigKey.integer("model.moe_inter_dim")
      .defaultValue("2048").range("0", "10000000").meaning("expert FFN inner size");
  public static final ConfigKey<Integer> MODEL_TP = ConfigKey.integer("model.tensor_parallel")
      .defaultValue("1").range("1", "1024").meaning("tensor-parallel degree (heads and weights split)");
  public static final ConfigKey<Integer> MODEL_EP = ConfigKey.integer("model.expert_parallel")
      .defaultValue("8").range("1", "1024").meaning("expert-parallel degree (routed experts split)");

  // ------------------------------------------------------------------ decode run

  public static final ConfigKey<Integer> BATCH = ConfigKey.integer("decode.batch")
      .defaultValue("4").range("1", "65536").meaning("sequences decoded together");
  public static final ConfigKey<Integer> CONTEXT = ConfigKey.integer("decode.context")
      .defaultValue("65536").range("1", "100000000")
      .meaning("context length of every sequence at the first simulated step");
  public static final ConfigKey<String> MODE = ConfigKey.choice("decode.mode", "graph", "fused")
      .defaultValue("graph")
      .meaning("graph: one kernel per layer and phase; fused: one persistent kernel per step");
  public static final ConfigKey<String> WORKLOAD_SOURCE = ConfigKey.string("decode.workload")
      .defaultValue("dsa")
      .meaning("where selections come from: a generator (uniform, persist-uniform, dsa: the"
          + " paper-fitted regime) or a .dsat or .npz trace file");
  public static final ConfigKey<String> WORKLOAD_PARAMS = ConfigKey.string("decode.workload_params")
      .defaultValue("paper-fitted")
      .meaning("dsa generator parameters: a set packaged as configs/workloads/NAME.yaml, a YAML"
          + " file, or built-in (the generator's own defaults)");
  public static final ConfigKey<Double> PERSIST = ConfigKey.number("decode.persist")
      .defaultValue("0.45").range("0", "1")
      .meaning("persist-uniform: share of a step's top-k kept from the previous step");
  public static final ConfigKey<Long> COMPARE_RESERVATION =
      ConfigKey.size("decode.compare_reservation").defaultValue("30MiB").atLeast("0")
          .meaning("run: the reservation compared against none when fastmem.llc.reservation is 0");

  @Override
  public void contribute(ConfigSchema.Builder schema) {
    schema.add(SMS, CLOCK, MAX_WARPS, MAX_THREADS, MAX_BLOCKS, REGISTERS, REGISTER_UNIT,
        INFLIGHT_LINES, L1_CAPACITY, L1_HIT, ISSUE_WIDTH, TENSOR_FLOPS, FP8_SPEEDUP, VECTOR_FLOPS,
        KERNEL_LAUNCH, BLOCK_LAUNCH, WARP_LAUNCH, BLOCK_PROLOGUE, GRID_BARRIER, ENERGY_FLOP);
    schema.add(CONSUME_CYCLES, ADDRESS_CYCLES, DIVISION_CYCLES, GATHER_WARP_REGISTERS,
        GATHER_FLAT4_REGISTERS, STREAM_REGISTERS, ATTENTION_ENTRIES_PER_BLOCK, ATTENTION_WARPS,
        ATTENTION_IN_FLIGHT, STREAM_CHUNK, STREAM_IN_FLIGHT, STREAM_BLOCKS_PER_SM,
        TOPK_INSTRUCTIONS, KERNEL_REPLAY);
    schema.add(MEMORY_FIDELITY, DETAILED_PRESET);
    schema.add(LLC_CAPACITY, LLC_PARTITIONS, LLC_WAYS, LLC_FETCH,
        LLC_PARTITION_INTERLEAVE, LLC_REPLICATE, LLC_NEAR, LLC_FAR, LLC_BANDWIDTH,
        LLC_SET_ASIDE_MAX, LLC_SET_ASIDE_PENALTY, LLC_RESERVATION, LLC_RESERVATION_KIND,
        LLC_RESERVATION_SHARING, LLC_RESERVATION_ADMISSION, LLC_RESERVATION_GHOST, HBM_PEAK, HBM_EFFICIENCY,
        HBM_CHANNELS, HBM_BANKS, HBM_ROW, HBM_INTERLEAVE, HBM_ACTIVATIONS, HBM_LOAD_TO_USE,
        HBM_ROW_MISS, HBM_ROW_CYCLE, HBM_REQUEST_PATH, HBM_REFRESH_INTERVAL, HBM_REFRESH_BUSY,
        XBAR_REQUEST_LATENCY, XBAR_RESPONSE_LATENCY, XBAR_PORT_BANDWIDTH, ENERGY_LLC, ENERGY_HBM,
        ENERGY_ACTIVATE);
    schema.add(MODEL_NAME, MODEL_ATTENTION, MODEL_LAYERS, MODEL_LAYERS_PER_GPU,
        MODEL_DENSE_LAYERS, MODEL_DIM, MODEL_HEADS, MODEL_KV_HEADS, MODEL_HEAD_DIM, MODEL_Q_LORA,
        MODEL_KV_LORA, MODEL_QK_NOPE, MODEL_QK_ROPE, MODEL_V_HEAD, MODEL_INDEX_HEADS,
        MODEL_INDEX_DIM, MODEL_TOPK, MODEL_ENTRY_BYTES, MODEL_INDEX_KEY_BYTES, MODEL_WEIGHT_BYTES,
        MODEL_DENSE_INTER, MODEL_EXPERTS, MODEL_ACTIVE_EXPERTS, MODEL_SHARED_EXPERTS,
        MODEL_MOE_INTER, MODEL_TP, MODEL_EP);
    schema.add(BATCH, CONTEXT, MODE, WORKLOAD_SOURCE, WORKLOAD_PARAMS, PERSIST,
        COMPARE_RESERVATION);
    schema.check(cfg -> {
      if (cfg.get(MODEL_LAYERS_PER_GPU) > cfg.get(MODEL_LAYERS)) {
        throw cfg.inconsistent("a GPU cannot run more layers than the model has",
            MODEL_LAYERS_PER_GPU, MODEL_LAYERS);
      }
      if (cfg.get(MODEL_DENSE_LAYERS) > cfg.get(MODEL_LAYERS)) {
        throw cfg.inconsistent("more dense layers than layers", MODEL_DENSE_LAYERS, MODEL_LAYERS);
      }
      if (cfg.get(LLC_RESERVATION) >= cfg.get(LLC_CAPACITY)) {
        throw cfg.inconsistent("the KV reservation must leave some of the LLC shared",
            LLC_RESERVATION, LLC_CAPACITY);
      }
      if (cfg.get(MEMORY_FIDELITY).equals("detailed")) {
        checkDetailed(cfg);
      }
      if (cfg.get(HBM_REFRESH_BUSY) >= cfg.get(HBM_REFRESH_INTERVAL)) {
        throw cfg.inconsistent("a bank cannot be refreshing all the time", HBM_REFRESH_BUSY,
            HBM_REFRESH_INTERVAL);
      }
    });
  }

  /** The keys of the detailed level name a memory preset and reservation policies that exist. */
  private static void checkDetailed(org.dsasim.core.config.Config cfg) {
    String preset = cfg.get(DETAILED_PRESET);
    String resolved = preset.equals("auto")
        ? cfg.get(org.dsasim.core.config.SimKeys.HARDWARE) : preset;
    if (!org.dsasim.mem.hbm.HbmConfig.PRESETS.contains(resolved)) {
      throw cfg.inconsistent("memory.fidelity detailed needs a memory preset, one of "
          + org.dsasim.mem.hbm.HbmConfig.PRESETS + "; '" + resolved + "' is none (set"
          + " memory.detailed.preset)", DETAILED_PRESET, org.dsasim.core.config.SimKeys.HARDWARE);
    }
  }

  /** Picoseconds of a time key, whose cycles are compute-unit cycles. */
  public static long ps(org.dsasim.core.config.Config cfg, ConfigKey<Units.Time> key) {
    return Math.round(cfg.get(key).picoseconds(cfg.get(CLOCK)));
  }
}
