package io.jfrp.core.doctor;

/**
 * One finding of a doctor (jfrpc's or jfrps's): what was checked, how it came out, what was seen, and what
 * to do when it did not pass.
 */
public record Check(String name, Level level, String detail, String hint) {

    /** How a check came out: a FAIL makes the doctor exit non-zero; a WARN is advice. */
    public enum Level { PASS, WARN, FAIL }

    public boolean ok() {
        return level != Level.FAIL;
    }

    public static Check pass(String name, String detail) {
        return new Check(name, Level.PASS, detail, "");
    }

    public static Check warn(String name, String detail, String hint) {
        return new Check(name, Level.WARN, detail, hint);
    }

    public static Check fail(String name, String detail, String hint) {
        return new Check(name, Level.FAIL, detail, hint);
    }
}
