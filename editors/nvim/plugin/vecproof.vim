" vecproof: user commands. The language server itself starts once you call
" require('vecproof').setup() (see docs/editors.md).
if exists('g:loaded_vecproof')
  finish
endif
let g:loaded_vecproof = 1

command! VecproofRestart lua require('vecproof').restart()
command! VecproofInfo lua require('vecproof').info()
