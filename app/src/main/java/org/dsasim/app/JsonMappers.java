package org.dsasim.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The application's JSON mappers, configured once (a mapper is costly to build and safe to share
 * between threads once configured): {@link #INDENTED} for result files and summaries people read,
 * {@link #COMPACT} for one-line machine output.
 */
public final class JsonMappers {
  private JsonMappers() {}

  public static final ObjectMapper INDENTED =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static final ObjectMapper COMPACT = new ObjectMapper();
}
