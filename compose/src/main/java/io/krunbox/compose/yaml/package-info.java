/** A position-keeping YAML tree over SnakeYAML's composer: anchors and merge keys resolved,
 *  !reset and !override kept, every node knowing its file, line and column. */
package io.krunbox.compose.yaml;
