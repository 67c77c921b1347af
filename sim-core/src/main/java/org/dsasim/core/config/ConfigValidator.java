package org.dsasim.core.config;

import org.dsasim.core.UserInputException;

/**
 * A check across several keys, run after every key has been parsed and range-checked. Report an
 * inconsistency by throwing {@link Config#inconsistent}, which names each key with its value and
 * where it was set:
 *
 * <pre>{@code
 * cfg -> {
 *   if (cfg.isSet(RATIO) && cfg.isSet(SIZE)) {
 *     throw cfg.inconsistent("give the reservation as a ratio or a size", RATIO, SIZE);
 *   }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ConfigValidator {
  void validate(Config cfg) throws UserInputException;
}
