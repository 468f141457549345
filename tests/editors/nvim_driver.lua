-- Run by test_nvim.py inside `nvim --headless -u NONE`: loads the plugin from editors/nvim, opens a
-- .vproof file, waits for the language server's diagnostics and writes what Neovim holds as JSON.
--
-- Environment: VECPROOF_NVIM_PLUGIN (editors/nvim), VECPROOF_NVIM_FILE (the .vproof file),
-- VECPROOF_NVIM_OUT (the JSON to write), VECPROOF_NVIM_CMD (the server command line, JSON list),
-- VECPROOF_NVIM_WAIT_CODE (the diagnostic code to wait for), VECPROOF_NVIM_TIMEOUT_MS.

local out_path = os.getenv('VECPROOF_NVIM_OUT')
local result = { steps = {} }

local function step(name)
  table.insert(result.steps, name)
end

local function diag_code(d)
  if d.code ~= nil then
    return d.code
  end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code or nil
end

local function write_result()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function main()
  local function env(name)
    local value = os.getenv(name)
    if value == nil or value == '' then
      error(name .. ' is not set')
    end
    return value
  end
  local plugin = env('VECPROOF_NVIM_PLUGIN')
  local file = env('VECPROOF_NVIM_FILE')
  local cmd = vim.fn.json_decode(env('VECPROOF_NVIM_CMD'))
  local wait_code = os.getenv('VECPROOF_NVIM_WAIT_CODE') or 'VP201'
  local timeout = tonumber(os.getenv('VECPROOF_NVIM_TIMEOUT_MS') or '60000')

  local v = vim.version()
  result.nvim_version = { v.major, v.minor, v.patch }
  result.has_vim_lsp_start = vim.lsp.start ~= nil

  -- -u NONE loads nothing: put the plugin on the runtimepath, then enable what a user's config
  -- (or Neovim's defaults) would: filetype detection, ftplugins, syntax, the plugin/ scripts.
  vim.opt.runtimepath:prepend(plugin)
  vim.cmd('filetype plugin on')
  vim.cmd('syntax on')
  vim.cmd('runtime! plugin/vecproof.vim')
  vim.lsp.set_log_level('debug')
  result.lsp_log = vim.lsp.get_log_path()
  step('runtime')

  require('vecproof').setup({ cmd = cmd })
  step('setup')

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype
  result.commentstring = vim.bo[buf].commentstring
  result.syntax = vim.b[buf].current_syntax
  result.commands = {
    VecproofRestart = vim.fn.exists(':VecproofRestart') == 2,
    VecproofInfo = vim.fn.exists(':VecproofInfo') == 2,
  }
  step('edit')

  local function has_code()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if diag_code(d) == wait_code then
        return true
      end
    end
    return false
  end
  local start = vim.loop.hrtime()
  result.got_code = vim.wait(timeout, has_code, 50) and true or false
  result.wait_ms = math.floor((vim.loop.hrtime() - start) / 1e6)
  step('wait')

  result.clients = {}
  local all = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
  for _, client in pairs(all) do
    table.insert(result.clients, {
      name = client.name,
      root_dir = client.config.root_dir,
      attached = vim.lsp.buf_is_attached(buf, client.id),
    })
  end

  result.omnifunc = vim.bo[buf].omnifunc
  result.tagfunc = vim.bo[buf].tagfunc

  -- A request through the attached client: hover at VECPROOF_NVIM_HOVER = [line, character] (0-based).
  local hover_at = os.getenv('VECPROOF_NVIM_HOVER')
  if hover_at and hover_at ~= '' then
    local at = vim.fn.json_decode(hover_at)
    local params = { textDocument = { uri = vim.uri_from_bufnr(buf) },
                     position = { line = at[1], character = at[2] } }
    local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 20000) or {}
    local texts = {}
    for _, response in pairs(responses) do
      local contents = response.result and response.result.contents
      if type(contents) == 'table' and contents.value then
        table.insert(texts, contents.value)
      elseif type(contents) == 'string' then
        table.insert(texts, contents)
      end
    end
    result.hover = table.concat(texts, '\n')
  end
  step('hover')

  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = diag_code(d),
    })
  end

  -- :VecproofRestart: the client is replaced by a new one, which checks the file again.
  if os.getenv('VECPROOF_NVIM_RESTART') == '1' then
    local function attached_ids()
      local ids = {}
      local clients = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
      for _, client in pairs(clients) do
        if vim.lsp.buf_is_attached(buf, client.id) and not client:is_stopped() then
          table.insert(ids, client.id)
        end
      end
      return ids
    end
    local before = attached_ids()
    vim.cmd('VecproofRestart')
    local replaced = vim.wait(timeout, function()
      local ids = attached_ids()
      return #ids == 1 and ids[1] ~= before[1]
    end, 50)
    result.restart = {
      before = before,
      after = attached_ids(),
      replaced = replaced and true or false,
      checked_again = vim.wait(timeout, has_code, 50) and true or false,
    }
    step('restart')
  end

  -- Syntax groups at a few places, to check the syntax file: {name, 1-based line, 1-based byte col}.
  result.syntax_at = {}
  for _, probe in ipairs(vim.fn.json_decode(os.getenv('VECPROOF_NVIM_SYNTAX_PROBES') or '[]')) do
    local id = vim.fn.synID(probe[2], probe[3], 1)
    result.syntax_at[probe[1]] = vim.fn.synIDattr(id, 'name')
  end
  step('done')
end

local ok, err = pcall(main)
if not ok then
  result.error = tostring(err)
end
pcall(write_result)
vim.cmd('qa!')
