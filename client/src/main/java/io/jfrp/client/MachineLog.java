package io.jfrp.client;

import org.slf4j.Logger;

/** The state machine's lines, into the client's log (the machine itself knows no logging library). */
record MachineLog(Logger log) implements ControlStateMachine.Log {

    @Override
    public void info(String line) {
        log.info(line);
    }

    @Override
    public void warn(String line) {
        log.warn(line);
    }

    @Override
    public void error(String line) {
        log.error(line);
    }
}
