package org.dsasim.core;

/**
 * A mistake in what the user gave us (a file, a key, a value, an option), as opposed to a bug.
 *
 * <p>The command line prints {@link #getMessage()} alone, without a stack trace, and exits with
 * status 2. The message must say where the problem is (file, key, line or byte offset) and what was
 * expected, because it is all the user will see.
 */
public class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
