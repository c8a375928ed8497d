/**
 * How a client comes back: the backoff between attempts, with jitter so that many clients of one
 * server do not return in lock step. Time is injected so the policy is tested without sleeping.
 */
package io.jfrp.core.resilience;
