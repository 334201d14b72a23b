// tsserver loads `shapesafe/ts-plugin` with require() and node10 resolution, which ignores package.json "exports":
// this folder makes the name resolve to the built plugin.
module.exports = require('../dist/editor/plugin.cjs')
