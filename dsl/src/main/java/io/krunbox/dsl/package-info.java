/** The Groovy DSL: plain Java builders of a compose document (Consumer overloads for Java,
 *  DELEGATE_ONLY closures for Groovy), and the script runner that binds them. */
package io.krunbox.dsl;
