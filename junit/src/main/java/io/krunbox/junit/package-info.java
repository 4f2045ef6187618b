/** Boxes in JUnit 5 tests: {@code @KrunboxTest} and {@code @Box} fields of {@link io.krunbox.junit.BoxContainer} or
 *  {@link io.krunbox.junit.ComposeStack}, started before the tests that use them and removed after, with {@link io.krunbox.junit.Wait}. */
package io.krunbox.junit;
