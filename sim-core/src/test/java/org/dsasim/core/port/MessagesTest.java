package org.dsasim.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MessagesTest {
  @Test
  void fieldsRoundTripAndAFreshHandleIsZero() {
    Messages msgs = new Messages();
    int m = msgs.acquire(0xdead_beef_0000L, 656, Messages.WRITE, 3, 17, -5L, 123_456);
    assertEquals(0xdead_beef_0000L, msgs.addr(m));
    assertEquals(656, msgs.bytes(m));
    assertEquals(Messages.WRITE, msgs.command(m));
    assertTrue(msgs.isWrite(m));
    assertFalse(msgs.isResponse(m));
    assertEquals(3, msgs.trafficClass(m));
    assertEquals(17, msgs.source(m));
    assertEquals(-5L, msgs.tag(m));
    assertEquals(123_456, msgs.created(m));
    msgs.markResponse(m);
    assertTrue(msgs.isResponse(m));
    assertTrue(msgs.isWrite(m), "a write's response is still about a write");
    msgs.release(m);
    int again = msgs.acquire();
    assertEquals(m, again, "the most recently released handle is reused first");
    assertEquals(0, msgs.addr(again));
    assertEquals(0, msgs.bytes(again));
    assertEquals(0, msgs.command(again));
    assertEquals(0, msgs.trafficClass(again));
    assertEquals(0, msgs.source(again));
    assertEquals(0, msgs.tag(again));
    assertEquals(0, msgs.created(again));
    msgs.setAddr(again, 1);
    msgs.setBytes(again, 2);
    msgs.setCommand(again, Messages.READ | Messages.RESPONSE);
    msgs.setTrafficClass(again, 4);
    msgs.setSource(again, 5);
    msgs.setTag(again, 6);
    msgs.setCreated(again, 7);
    assertEquals(1 + 2 + 4 + 5 + 6 + 7,
        msgs.addr(again) + msgs.bytes(again) + msgs.trafficClass(again) + msgs.source(again)
            + msgs.tag(again) + msgs.created(again));
    assertTrue(msgs.isResponse(again));
    assertFalse(msgs.isWrite(again));
  }

  @Test
  void randomTrafficLeaksNothingAndReusesHandles() {
    Messages msgs = new Messages(16);
    SplittableRandom rng = new SplittableRandom(1);
    ArrayDeque<Integer> inFlight = new ArrayDeque<>();
    Set<Integer> handed = new HashSet<>();
    int peak = 0;
    for (int i = 0; i < 200_000; i++) {
      if (inFlight.isEmpty() || (inFlight.size() < 500 && rng.nextInt(3) > 0)) {
        int m = msgs.acquire(i, 64, Messages.READ, 0, 0, i, i);
        assertTrue(handed.add(m) || !inFlight.contains(m), "handle " + m + " handed out twice");
        inFlight.add(m);
      } else {
        int m = rng.nextBoolean() ? inFlight.pollFirst() : inFlight.pollLast();
        assertEquals(msgs.tag(m), msgs.addr(m), "fields survive while in flight");
        msgs.release(m);
      }
      peak = Math.max(peak, inFlight.size());
      assertEquals(inFlight.size(), msgs.live());
    }
    while (!inFlight.isEmpty()) {
      msgs.release(inFlight.poll());
    }
    assertEquals(0, msgs.live());
    assertTrue(msgs.capacity() < 2 * peak, "the pool grows to the peak, not to the traffic");
    assertTrue(handed.size() <= msgs.capacity());
  }

  @Test
  void growthKeepsLiveMessagesIntact() {
    Messages msgs = new Messages(16);
    assertEquals(16, msgs.capacity());
    int[] handles = new int[1_000];
    for (int i = 0; i < handles.length; i++) {
      handles[i] = msgs.acquire(i * 64L, i, Messages.READ, i % 7, i % 3, -i, i);
    }
    assertEquals(1_024, msgs.capacity());
    assertEquals(1_000, new HashSet<>(java.util.Arrays.stream(handles).boxed().toList()).size());
    for (int i = 0; i < handles.length; i++) {
      int m = handles[i];
      assertEquals(i * 64L, msgs.addr(m));
      assertEquals(i, msgs.bytes(m));
      assertEquals(i % 7, msgs.trafficClass(m));
      assertEquals(i % 3, msgs.source(m));
      assertEquals(-i, msgs.tag(m));
      assertEquals(i, msgs.created(m));
      assertTrue(msgs.isLive(m));
    }
  }

  @Test
  void releasingAHandleThatIsNotInUseIsAnError() {
    Messages msgs = new Messages();
    int m = msgs.acquire();
    int other = msgs.acquire();
    msgs.release(m);
    IllegalStateException twice = assertThrows(IllegalStateException.class, () -> msgs.release(m));
    assertTrue(twice.getMessage().contains("message " + m), twice.getMessage());
    assertThrows(IllegalStateException.class, () -> msgs.release(-1));
    assertThrows(IllegalStateException.class, () -> msgs.release(msgs.capacity()));
    assertFalse(msgs.isLive(m));
    assertTrue(msgs.isLive(other));
    assertEquals(1, msgs.live());
    // the failed releases did not corrupt the pool: two acquisitions give two different handles
    int a = msgs.acquire();
    int b = msgs.acquire();
    assertTrue(a != b && a != other && b != other);
  }
}
