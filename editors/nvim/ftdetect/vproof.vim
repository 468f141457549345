" vecproof: *.vproof files are filetype "vproof".
autocmd BufRead,BufNewFile *.vproof setfiletype vproof
