package org.dsasim.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntFifoTest {
  @Test
  void keepsArrivalOrderAcrossWrapsAndGrowthAsADequeDoes() {
    SplittableRandom rng = new SplittableRandom(5);
    IntFifo fifo = new IntFifo(3);
    ArrayDeque<Integer> reference = new ArrayDeque<>();
    for (int i = 0; i < 100_000; i++) {
      if (reference.isEmpty() || rng.nextInt(5) < 3) {
        fifo.add(i);
        reference.add(i);
      } else {
        assertEquals(reference.peek(), fifo.peek());
        assertEquals(reference.poll(), fifo.poll());
      }
      assertEquals(reference.size(), fifo.size());
    }
    while (!reference.isEmpty()) {
      assertEquals(reference.poll(), fifo.poll());
    }
    assertTrue(fifo.isEmpty());
  }

  @Test
  void anEmptyQueueHasNothingToTake() {
    IntFifo fifo = new IntFifo(1);
    assertThrows(IllegalStateException.class, fifo::peek);
    assertThrows(IllegalStateException.class, fifo::poll);
    assertThrows(IllegalArgumentException.class, () -> new IntFifo(0));
  }
}
