package org.dsasim.workloads.npz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceOverrides;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;

/**
 * A DSA trace stored as NumPy arrays in an {@code .npz} archive, read step by step.
 *
 * <p>Accepted layouts (see {@code docs/trace-format.md}):
 *
 * <ul>
 *   <li>{@code indices} shaped {@code [steps, layers, k]} (one sequence) or {@code [steps,
 *       layers, seqs, k]};
 *   <li>or {@code seq0}, {@code seq1}, ... each {@code [steps, layers, k]}, one per sequence.
 * </ul>
 *
 * Any integer dtype, either byte order; {@code -1} marks an empty slot anywhere in a row (dropped,
 * the other entries keep their order). Optional: {@code context_len} shaped {@code [steps]} or
 * {@code [steps, seqs]}; scalars {@code entry_bytes}, {@code index_key_bytes}, {@code page_size},
 * {@code prompt_len} and {@code model}; other scalars become header metadata.
 *
 * <p>Context lengths, when {@code context_len} is absent: {@code prompt_len + step} if a prompt
 * length is known (from the archive or an override, and positive), else one more than the
 * largest index the sequence has selected so far (in any layer, up to and including this step) -
 * the smallest context consistent with the selections. Every index must be below its context
 * length.
 *
 * <p>Memory: one step of the selection arrays ({@code layers x seqs x k} ints) plus a 64 KiB
 * buffer per array, whatever the number of steps.
 */
public final class NpzTraceSource implements TraceSource {
  /** Defaults for archives without these scalars: DeepSeek-V3.2's MLA FP8 KV layout. */
  public static final int DEFAULT_ENTRY_BYTES = 656;

  public static final int DEFAULT_INDEX_KEY_BYTES = 132;
  public static final int DEFAULT_PAGE_TOKENS = 64;

  /** Array and scalar names of the layout. */
  public static final String INDICES = "indices";

  public static final String CONTEXT_LEN = "context_len";
  public static final String ENTRY_BYTES = "entry_bytes";
  public static final String INDEX_KEY_BYTES = "index_key_bytes";
  public static final String PAGE_SIZE = "page_size";
  public static final String PROMPT_LEN = "prompt_len";
  public static final String MODEL = "model";

  private static final Pattern SEQ_ARRAY = Pattern.compile("seq(\\d+)");

  /** How a step's context lengths are obtained. */
  private enum ContextRule {
    ARRAY("array " + CONTEXT_LEN),
    PROMPT_PLUS_STEP("prompt_len + step"),
    MAX_INDEX_PLUS_ONE("largest index selected so far + 1");

    final String description;

    ContextRule(String description) {
      this.description = description;
    }
  }

  private final NpzArchive archive;
  private final String file;
  private final TraceHeader header;
  /** The {@code indices} array, or one {@code seqN} array per sequence. */
  private final NpyArray[] selectionArrays;
  private final boolean perSequenceArrays;
  private final int layers;
  private final int seqs;
  private final int k;
  private final int topk;
  private final long steps;
  private final int[] rows;
  private final NpyArray contextArray;
  private final int[] contextRow;
  private final ContextRule rule;
  private final int[] largestSeen;
  private final int[] stepLargest;
  private long step;

  private NpzTraceSource(Path path, NpzArchive archive, TraceOverrides overrides)
      throws IOException {
    this.archive = archive;
    this.file = path.toString();
    List<String> names = archive.arrayNames();
    TreeMap<Integer, String> seqArrays = new TreeMap<>();
    for (String n : names) {
      Matcher m = SEQ_ARRAY.matcher(n);
      if (m.matches() && m.group(1).length() < 9) {
        seqArrays.put(Integer.parseInt(m.group(1)), n);
      }
    }
    boolean hasIndices = archive.has(INDICES);
    if (hasIndices && !seqArrays.isEmpty()) {
      throw new UserInputException(file + ": has both an '" + INDICES + "' array and per-sequence"
          + " arrays (" + String.join(", ", seqArrays.values()) + "); expected one layout");
    }
    if (!hasIndices && seqArrays.isEmpty()) {
      throw new UserInputException(file + ": no trace arrays: expected '" + INDICES + "' shaped"
          + " [steps, layers, k] or [steps, layers, seqs, k], or 'seq0', 'seq1', ... shaped"
          + " [steps, layers, k]; the archive has: "
          + (names.isEmpty() ? "no .npy arrays" : String.join(", ", names)));
    }
    List<String> used = new ArrayList<>();
    long[] shape;
    if (hasIndices) {
      perSequenceArrays = false;
      NpyArray a = archive.open(INDICES);
      selectionArrays = new NpyArray[] {a};
      used.add(INDICES);
      requireIntegerCOrder(a);
      shape = a.header().shape();
      if (shape.length != 3 && shape.length != 4) {
        throw new UserInputException(a.where() + ": shape " + a.header().shapeText() + " has"
            + " rank " + shape.length + "; expected [steps, layers, k] or [steps, layers, seqs,"
            + " k]");
      }
    } else {
      perSequenceArrays = true;
      if (seqArrays.lastKey() != seqArrays.size() - 1) {
        int missing = 0;
        while (seqArrays.containsKey(missing)) {
          missing++;
        }
        throw new UserInputException(file + ": array 'seq" + missing + "' is missing; expected"
            + " consecutive seq0 .. seq" + seqArrays.lastKey());
      }
      selectionArrays = new NpyArray[seqArrays.size()];
      for (Map.Entry<Integer, String> e : seqArrays.entrySet()) {
        NpyArray a = archive.open(e.getValue());
        selectionArrays[e.getKey()] = a;
        used.add(e.getValue());
        requireIntegerCOrder(a);
        if (a.header().rank() != 3) {
          throw new UserInputException(a.where() + ": shape " + a.header().shapeText()
              + " has rank " + a.header().rank() + "; expected [steps, layers, k]");
        }
        long[] first = selectionArrays[0].header().shape();
        if (!Arrays.equals(first, a.header().shape())) {
          throw new UserInputException(a.where() + ": shape " + a.header().shapeText()
              + " differs from 'seq0' " + NpyHeader.shapeText(first) + "; every sequence"
              + " must have the same steps, layers and k");
        }
      }
      long[] s0 = selectionArrays[0].header().shape();
      shape = new long[] {s0[0], s0[1], selectionArrays.length, s0[2]};
    }
    this.steps = shape[0];
    this.layers = dimension(shape[1], "layers");
    this.seqs = shape.length == 4 ? dimension(shape[2], "sequences") : 1;
    this.k = dimension(shape[shape.length - 1], "k (slots per row)");
    if ((long) layers * seqs * k > Traces.MAX_SLOTS_PER_STEP) {
      throw new UserInputException(file + ": layers x sequences x k = " + layers + " x " + seqs
          + " x " + k + " exceeds the supported " + Traces.MAX_SLOTS_PER_STEP + " per step");
    }

    NpyArray ctx = null;
    if (archive.has(CONTEXT_LEN)) {
      ctx = archive.open(CONTEXT_LEN);
      used.add(CONTEXT_LEN);
      requireIntegerCOrder(ctx);
      long[] cs = ctx.header().shape();
      boolean ok = (cs.length == 1 && cs[0] == steps)
          || (cs.length == 2 && cs[0] == steps && cs[1] == seqs);
      if (!ok) {
        throw new UserInputException(ctx.where() + ": shape " + ctx.header().shapeText()
            + "; expected (" + steps + ",) or (" + steps + ", " + seqs + ") = [steps] or"
            + " [steps, seqs]");
      }
    }
    this.contextArray = ctx;
    this.contextRow = new int[ctx != null && ctx.header().rank() == 1 ? 1 : seqs];

    Map<String, Integer> known = new HashMap<>();
    String model = null;
    Map<String, String> metadata = new TreeMap<>();
    List<String> ignored = new ArrayList<>();
    for (String n : names) {
      if (used.contains(n)) {
        continue;
      }
      try (NpyArray a = archive.open(n)) {
        switch (n) {
          case ENTRY_BYTES, INDEX_KEY_BYTES, PAGE_SIZE, PROMPT_LEN -> {
            int v = a.scalarInt();
            int min = n.equals(ENTRY_BYTES) || n.equals(PAGE_SIZE) ? 1 : 0;
            if (v < min) {
              throw new UserInputException(a.where() + ": value " + v + "; expected "
                  + (min == 1 ? "a positive number" : "0 or more"));
            }
            known.put(n, v);
          }
          case MODEL -> model = a.scalarText();
          default -> {
            if (a.isScalar()) {
              metadata.put(n, a.scalarText());
            } else {
              ignored.add(n);
            }
          }
        }
      }
    }

    Integer promptOverride = overrides.promptLen();
    int prompt = promptOverride != null ? promptOverride : known.getOrDefault(PROMPT_LEN, 0);
    this.rule = ctx != null ? ContextRule.ARRAY
        : prompt > 0 ? ContextRule.PROMPT_PLUS_STEP : ContextRule.MAX_INDEX_PLUS_ONE;
    if (rule == ContextRule.PROMPT_PLUS_STEP && prompt + steps - 1 > Integer.MAX_VALUE) {
      throw new UserInputException(file + ": prompt length " + prompt + " + " + steps
          + " steps exceeds the largest context length " + Integer.MAX_VALUE);
    }

    List<String> defaulted = new ArrayList<>();
    int entryBytes = valueOrDefault(known, ENTRY_BYTES, overrides.entryBytes(),
        DEFAULT_ENTRY_BYTES, defaulted);
    int indexKeyBytes = valueOrDefault(known, INDEX_KEY_BYTES, overrides.indexKeyBytes(),
        DEFAULT_INDEX_KEY_BYTES, defaulted);
    int pageTokens = valueOrDefault(known, PAGE_SIZE, overrides.pageTokens(),
        DEFAULT_PAGE_TOKENS, defaulted);
    metadata.put("source_file", path.getFileName().toString());
    metadata.put("context_len_rule", rule.description);
    if (!defaulted.isEmpty()) {
      metadata.put("defaulted", String.join(",", defaulted));
    }
    if (!ignored.isEmpty()) {
      metadata.put("ignored_arrays", String.join(",", ignored));
    }
    if (model == null) {
      String stem = path.getFileName().toString();
      model = stem.endsWith(".npz") ? stem.substring(0, stem.length() - 4) : stem;
    }
    TraceHeader base = new TraceHeader(model, layers, seqs, k, entryBytes, indexKeyBytes,
        pageTokens, prompt, steps, metadata);
    this.header = overrides.applyTo(base, file);
    this.topk = header.topk();
    this.rows = new int[layers * seqs * k];
    this.largestSeen = new int[seqs];
    this.stepLargest = new int[seqs];
    Arrays.fill(largestSeen, -1);
  }

  /**
   * Opens an archive as a trace source; {@code overrides} replace header values and may cut rows
   * to a smaller top-k (the first entries of each row, after dropping empty slots).
   *
   * @throws UserInputException for anything wrong with the archive, naming the file and array
   */
  public static NpzTraceSource open(Path file, TraceOverrides overrides) throws IOException {
    NpzArchive archive = NpzArchive.open(file);
    try {
      return new NpzTraceSource(file, archive, overrides);
    } catch (IOException | RuntimeException e) {
      archive.close();
      throw e;
    }
  }

  private static int valueOrDefault(Map<String, Integer> known, String name, Integer override,
      int fallback, List<String> defaulted) {
    if (override != null) {
      return override;
    }
    Integer v = known.get(name);
    if (v != null) {
      return v;
    }
    defaulted.add(name + "=" + fallback);
    return fallback;
  }

  private int dimension(long d, String what) {
    if (d < 1 || d > Integer.MAX_VALUE) {
      throw new UserInputException(file + ": the trace arrays have " + d + " " + what
          + "; expected at least 1");
    }
    return (int) d;
  }

  private static void requireIntegerCOrder(NpyArray a) {
    NpyHeader h = a.header();
    if (!h.dtype().isInteger()) {
      throw new UserInputException(a.where() + ": dtype '" + h.dtype().descr() + "' is not an"
          + " integer type; expected int8/16/32/64 or uint8/16/32 token indices");
    }
    if (h.fortranOrder() && h.rank() > 1) {
      throw new UserInputException(a.where() + ": stored in Fortran (column-major) order, which"
          + " cannot be read one step at a time; save it with np.ascontiguousarray(...)");
    }
  }

  @Override
  public TraceHeader header() {
    return header;
  }

  @Override
  public boolean next(StepSelection into) throws IOException {
    if (into.layers() != layers || into.seqs() != seqs || into.topk() != topk) {
      throw new IllegalArgumentException("step buffer shape differs from the trace header");
    }
    if (step == steps) {
      return false;
    }
    if (perSequenceArrays) {
      for (int s = 0; s < seqs; s++) {
        selectionArrays[s].readInts(rows, s * layers * k, layers * k);
      }
    } else {
      selectionArrays[0].readInts(rows, 0, rows.length);
    }
    Arrays.fill(stepLargest, -1);
    int[] dst = into.indices();
    for (int l = 0; l < layers; l++) {
      for (int s = 0; s < seqs; s++) {
        int base = rowStart(l, s);
        int off = into.offset(l, s);
        int n = 0;
        int largest = stepLargest[s];
        for (int j = 0; j < k; j++) {
          int v = rows[base + j];
          if (v < 0) {
            if (v != -1) {
              throw new UserInputException(where(s) + " " + position(l, s, j) + " = " + v
                  + ": token indices must be 0 or more, and -1 marks an empty slot");
            }
            continue;
          }
          largest = Math.max(largest, v);
          if (n < topk) {
            dst[off + n++] = v;
          }
        }
        stepLargest[s] = largest;
        into.setCount(l, s, n);
      }
    }
    if (contextArray != null) {
      contextArray.readInts(contextRow, 0, contextRow.length);
    }
    for (int s = 0; s < seqs; s++) {
      largestSeen[s] = Math.max(largestSeen[s], stepLargest[s]);
      long context = switch (rule) {
        case ARRAY -> contextRow[contextRow.length == 1 ? 0 : s];
        case PROMPT_PLUS_STEP -> header.promptLen() + step;
        case MAX_INDEX_PLUS_ONE -> largestSeen[s] + 1L;
      };
      if (context < 0 || context > Integer.MAX_VALUE) {
        throw contextOutOfRange(s, context);
      }
      int ctx = (int) context;
      if (stepLargest[s] >= ctx) {
        throw indexBeyondContext(s, ctx);
      }
      into.setContextLen(s, ctx);
    }
    into.setStep(step++);
    return true;
  }

  private int rowStart(int l, int s) {
    return (perSequenceArrays ? s * layers + l : l * seqs + s) * k;
  }

  private String where(int s) {
    return (perSequenceArrays ? selectionArrays[s] : selectionArrays[0]).where();
  }

  private String position(int l, int s, int j) {
    if (perSequenceArrays || seqs == 1 && selectionArrays[0].header().rank() == 3) {
      return "[" + step + ", " + l + ", " + j + "]";
    }
    return "[" + step + ", " + l + ", " + s + ", " + j + "]";
  }

  /** A context length below 0 (from the array) or beyond an int (from the rule's sum). */
  private UserInputException contextOutOfRange(int s, long context) {
    if (rule == ContextRule.ARRAY) {
      return new UserInputException(contextArray.where() + " " + contextArray.position(
          step * contextRow.length + (contextRow.length == 1 ? 0 : s)) + " = " + context
          + ": context lengths must be 0 or more");
    }
    return new UserInputException(where(s) + ": the context length of sequence " + s + " at step "
        + step + " would be " + rule.description + " = " + context + ", beyond the largest, "
        + Integer.MAX_VALUE);
  }

  private UserInputException indexBeyondContext(int s, int ctx) {
    for (int l = 0; l < layers; l++) {
      int base = rowStart(l, s);
      for (int j = 0; j < k; j++) {
        if (rows[base + j] >= ctx) {
          String fix = switch (rule) {
            case ARRAY -> "; the arrays disagree";
            case PROMPT_PLUS_STEP -> "; is the prompt length " + header.promptLen()
                + " right? Without one the context is inferred from the indices";
            case MAX_INDEX_PLUS_ONE -> "";
          };
          return new UserInputException(where(s) + " " + position(l, s, j) + " = "
              + rows[base + j] + " is not below the context length " + ctx + " of sequence "
              + s + " at step " + step + " (from " + rule.description + ")" + fix);
        }
      }
    }
    throw new IllegalStateException("no index beyond the context found");
  }

  @Override
  public void close() throws IOException {
    archive.close();
  }
}
