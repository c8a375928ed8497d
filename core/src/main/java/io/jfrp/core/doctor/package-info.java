/**
 * What the doctors of both sides report: findings that pass, warn or fail, each with advice.
 */
package io.jfrp.core.doctor;
