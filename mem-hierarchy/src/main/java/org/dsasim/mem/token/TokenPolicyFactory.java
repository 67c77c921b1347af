package org.dsasim.mem.token;

import java.util.List;

/** Makes instances of one registered token-cache policy. */
public interface TokenPolicyFactory {
  /** One line for help texts. */
  String description();

  /** The parameter keys the policy accepts ({@code NAME:KEY=VALUE}). */
  List<String> parameters();

  /** Whether the policy needs the whole access stream in advance (an offline bound). */
  default boolean needsFuture() {
    return false;
  }

  /**
   * A new instance.
   *
   * @param spec the policy as the user named it, for its parameters
   * @param capacityTokens capacity in token entries, >= 0
   * @param space the entries and the KV buffer layout
   * @param future the recorded stream when {@link #needsFuture}, otherwise null
   * @throws org.dsasim.core.UserInputException for bad parameter values
   */
  TokenCachePolicy create(
      PolicySpec spec, int capacityTokens, TokenSpace space, AccessRecording future);
}
