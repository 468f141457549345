" vecproof: settings for .vproof buffers.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

" `#` starts a comment that runs to the end of the line (gc / gcc in Neovim 0.10+, commentary.vim, …).
setlocal commentstring=#\ %s
setlocal comments=:#
" Wrap and continue comments, not code.
setlocal formatoptions-=t formatoptions+=croql

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions<'
