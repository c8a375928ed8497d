/**
 * The config centre's etcd client on jetcd, behind core's {@code EtcdKeys}: a jar of its own, loaded only by a
 * process that follows a config centre.
 */
package io.jfrp.etcd;
