/** The builder: stages run step by step, each RUN in a box, each change a layer, with a cache. */
package io.krunbox.build.exec;
