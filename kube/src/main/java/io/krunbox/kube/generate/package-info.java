/** A Topology as Kubernetes objects ({@code kube generate}), with every setting Kubernetes cannot hold named. */
package io.krunbox.kube.generate;
