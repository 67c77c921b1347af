package org.dsasim.mem.hbm;

import java.util.Arrays;

/** Every command issued, in issue order, as parallel arrays. */
final class CommandLog implements CommandObserver {
  int size;
  long[] time = new long[1024];
  int[] channel = new int[1024];
  int[] pc = new int[1024];
  int[] sid = new int[1024];
  int[] bankGroup = new int[1024];
  int[] bank = new int[1024];
  int[] row = new int[1024];
  int[] column = new int[1024];
  int[] command = new int[1024];

  @Override
  public void onCommand(long timePs, int ch, int p, int s, int bg, int b, int r, int col, int cmd) {
    if (size == time.length) {
      int n = size * 2;
      time = Arrays.copyOf(time, n);
      channel = Arrays.copyOf(channel, n);
      pc = Arrays.copyOf(pc, n);
      sid = Arrays.copyOf(sid, n);
      bankGroup = Arrays.copyOf(bankGroup, n);
      bank = Arrays.copyOf(bank, n);
      row = Arrays.copyOf(row, n);
      column = Arrays.copyOf(column, n);
      command = Arrays.copyOf(command, n);
    }
    time[size] = timePs;
    channel[size] = ch;
    pc[size] = p;
    sid[size] = s;
    bankGroup[size] = bg;
    bank[size] = b;
    row[size] = r;
    column[size] = col;
    command[size] = cmd;
    size++;
  }

  int count(int cmd) {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (command[i] == cmd) {
        n++;
      }
    }
    return n;
  }

  /** A digest of the whole log, for determinism checks. */
  long digest() {
    long h = 1125899906842597L;
    for (int i = 0; i < size; i++) {
      h = 31 * h + time[i];
      h = 31 * h + ((long) channel[i] << 40 | (long) pc[i] << 32 | (long) command[i] << 24
          | (long) (sid[i] & 0xff) << 16 | (long) (bankGroup[i] & 0xff) << 8 | (bank[i] & 0xff));
      h = 31 * h + ((long) row[i] << 32 | (column[i] & 0xffffffffL));
    }
    return h;
  }
}
