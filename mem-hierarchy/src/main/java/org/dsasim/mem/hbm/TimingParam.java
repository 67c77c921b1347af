package org.dsasim.mem.hbm;

/**
 * The JEDEC-style timing parameters of an HBM device, as named in preset files. Each is given
 * either in time ({@code 19.375ns}), which is converted to whole cycles of CK rounding up (as a
 * controller programs them), or directly in cycles ({@code 2cycles}) for parameters defined as
 * clock counts. The burst duration nBL is not listed: it follows from the organisation.
 */
public enum TimingParam {
  CL("tCL", "RD to first read data"),
  CWL("tCWL", "WR to first write data"),
  RCD_RD("tRCD_RD", "ACT to RD, same bank"),
  RCD_WR("tRCD_WR", "ACT to WR, same bank"),
  RP("tRP", "PRE to ACT, same bank"),
  RAS("tRAS", "ACT to PRE, same bank"),
  RC("tRC", "ACT to ACT, same bank"),
  WR("tWR", "end of write data to PRE, same bank (write recovery)"),
  RTP("tRTP", "RD to PRE, same bank"),
  CCD_S("tCCD_S", "RD to RD or WR to WR, different bank group"),
  CCD_L("tCCD_L", "RD to RD or WR to WR, same bank group"),
  CCD_R("tCCD_R", "RD to RD or WR to WR, different SID"),
  RRD_S("tRRD_S", "ACT to ACT, different bank group"),
  RRD_L("tRRD_L", "ACT to ACT, same bank group"),
  FAW("tFAW", "window holding at most four ACTs per pseudo-channel"),
  WTR_S("tWTR_S", "end of write data to RD, different bank group"),
  WTR_L("tWTR_L", "end of write data to RD, same bank group"),
  RTW("tRTW", "RD to WR, read-to-write bus turnaround"),
  PPD("tPPD", "PRE to PRE"),
  RFC_AB("tRFC_ab", "all-bank refresh cycle time"),
  RFC_PB("tRFC_pb", "per-bank refresh cycle time"),
  RREFD("tRREFD", "REFpb to REFpb or ACT of another bank"),
  REFI("tREFI", "average refresh interval of every bank");

  private final String key;
  private final String meaning;

  TimingParam(String key, String meaning) {
    this.key = key;
    this.meaning = meaning;
  }

  /** The name used in preset files and messages. */
  public String key() {
    return key;
  }

  public String meaning() {
    return meaning;
  }

  /** The parameter whose preset key is {@code key}, or null. */
  public static TimingParam byKey(String key) {
    for (TimingParam p : values()) {
      if (p.key.equals(key)) {
        return p;
      }
    }
    return null;
  }
}
