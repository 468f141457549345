" Vim syntax file
" Language:  vecproof (.vproof): proofs in vector and matrix calculus
" The same token classes as the VS Code grammar (editors/vscode/syntaxes/vproof.tmLanguage.json).

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match

" Names (not highlighted; they keep the operator patterns below out of identifiers), then
" everything more specific (later definitions win at the same position).
syn match vproofName '\<\h\w*\>'
syn match vproofNumber '\<\d\+\>'
syn match vproofCall '\<\h\w*\ze('

" Declarations
syn keyword vproofLayout layout nextgroup=vproofLayoutKind skipwhite
syn keyword vproofLayoutKind numerator denominator contained
syn keyword vproofDim dim nextgroup=vproofDimName skipwhite
syn match vproofDimName '\h\w*' contained nextgroup=vproofDimMore skipwhite
syn match vproofDimMore '\%(=\s*\d\+\s*\)\=,' contained nextgroup=vproofDimName skipwhite contains=vproofNumber
syn keyword vproofIndexKw index nextgroup=vproofIndexName skipwhite
syn match vproofIndexName '\h\w*' contained nextgroup=vproofIndexMore,vproofIndexRange skipwhite
syn match vproofIndexMore ',' contained nextgroup=vproofIndexName skipwhite
syn match vproofIndexRange ':\s*\h\w*' contained contains=vproofIndexRangeName
syn match vproofIndexRangeName '\h\w*' contained
syn keyword vproofStorage var const func nextgroup=vproofDeclName skipwhite
syn match vproofDeclName '\h\w*' contained
syn keyword vproofShape scalar vector matrix
syn keyword vproofModifier symmetric invertible

" Theorems and proofs
syn keyword vproofTheorem theorem lemma nextgroup=vproofTheoremName skipwhite
syn match vproofTheoremName '\h\w*' contained
syn keyword vproofProof proof qed
syn keyword vproofComponent component
" `by RULE, lib.THEOREM[A := B + C]`: the rules and theorems cited for a step (a qualified name is
" one group), with an instantiation.
syn region vproofCitation matchgroup=vproofBy start='\<by\>' end='$\|\ze[^[:space:][:alnum:]_,.[]\|\ze\.\h\@!' oneline contains=vproofRule,vproofInstance
syn match vproofRule '\h\w*\%(\.\h\w*\)*' contained
syn region vproofInstance matchgroup=vproofBracket start='\[' end='\]' oneline contained contains=vproofAssign,vproofName,vproofNumber,vproofCall,vproofBuiltin,vproofOperator,vproofIndexing
" A bracket inside a value (`D[:, 1]`) closes itself, not the instantiation.
syn region vproofIndexing start='\[' end='\]' oneline contained transparent contains=vproofName,vproofNumber,vproofCall,vproofBuiltin,vproofOperator,vproofIndexing
syn match vproofAssign ':=' contained

" Operators and built-in functions
syn match vproofBuiltin '\<\%(sum\|delta\|grad\|hess\|D\|dot\|tr\|normF\|norm\|inv\|det\|logdet\)\ze\s*('
syn match vproofBuiltin '[Σδ]'
syn match vproofOperator '[-+*/=]'
syn match vproofOperator '\.\.'
syn match vproofOperator '[∇∂ᵀ²‖]'
syn match vproofOperator '||'
syn match vproofOperator '\^\s*T\>'
syn match vproofOperator '\^\ze\s*\d'
syn match vproofOperator '\%(‖\|||\)\@<=_F'
" `d(E)/dx[k]`, `d/dx[k] E`: the derivative operator, and what it is by.
syn match vproofOperator '\<d\ze\s*[(/]'
syn match vproofOperator '\%(/\s*\)\@<=[d∂]\ze\h'

" Comments, and the `# expect: VP201` directive of files that are wrong on purpose
syn keyword vproofTodo TODO FIXME XXX NOTE contained
syn match vproofComment '#.*$' contains=vproofTodo,@Spell
syn match vproofExpect '^\s*#\s*expect\s*:.*$' contains=vproofExpectKey,vproofCode
syn match vproofExpectKey '#\s*\zsexpect\ze\s*:' contained
syn match vproofCode '\<VP\d\{3}\>' contained

hi def link vproofComment Comment
hi def link vproofTodo Todo
hi def link vproofExpect Comment
hi def link vproofExpectKey PreProc
hi def link vproofCode Constant
hi def link vproofNumber Number
hi def link vproofLayout Keyword
hi def link vproofLayoutKind Constant
hi def link vproofDim Keyword
hi def link vproofDimName Type
hi def link vproofIndexKw Keyword
hi def link vproofIndexName Identifier
hi def link vproofIndexRangeName Type
hi def link vproofStorage StorageClass
hi def link vproofDeclName Identifier
hi def link vproofShape Type
hi def link vproofModifier StorageClass
hi def link vproofTheorem Keyword
hi def link vproofTheoremName Function
hi def link vproofProof Statement
hi def link vproofComponent Keyword
hi def link vproofBy Statement
hi def link vproofRule Special
hi def link vproofAssign Operator
hi def link vproofBuiltin Function
hi def link vproofCall Function
hi def link vproofOperator Operator

let b:current_syntax = 'vproof'

let &cpo = s:cpo_save
unlet s:cpo_save
