-- vecproof for Neovim: starts the vecproof language server (`vecproof lsp`, LSP over stdio) for
-- buffers of filetype "vproof".
--
--   require('vecproof').setup({ cmd = { '/path/to/.venv/bin/vecproof', 'lsp' } })
--
-- Works with Neovim 0.7 and later: vim.lsp.start where it exists (0.8+), otherwise
-- vim.lsp.start_client + vim.lsp.buf_attach_client with one client per root directory.

local M = {}

local uv = vim.uv or vim.loop

local defaults = {
  -- The server command line. A Python interpreter works too: { 'python3', '-m', 'vecproof', 'lsp' }.
  cmd = { 'vecproof', 'lsp' },
  -- Extra environment for the server process (a table of NAME = value), or nil.
  cmd_env = nil,
  filetypes = { 'vproof' },
  -- The root directory is the nearest ancestor of the file holding one of these; if none does,
  -- the file's own directory.
  root_markers = { 'pyproject.toml', '.git' },
  -- Or a function(bufnr) -> directory, which replaces the search.
  root_dir = nil,
  name = 'vecproof',
  -- Passed through to the LSP client.
  capabilities = nil,
  on_attach = nil,
  handlers = nil,
  settings = nil,
  init_options = nil,
  -- Start the server automatically for every buffer of one of `filetypes`.
  autostart = true,
}

M.config = vim.deepcopy(defaults)

-- Neovim 0.7: one client id per root directory (vim.lsp.start does this bookkeeping itself).
local clients_by_root = {}
local warned_missing = false

local function is_dir(path)
  local stat = uv.fs_stat(path)
  return stat ~= nil and stat.type == 'directory'
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

--- The root directory for a buffer: the nearest ancestor directory holding a root marker, else the
--- buffer's own directory (else the current directory, for a buffer without a file).
function M.root_dir(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if type(M.config.root_dir) == 'function' then
    local dir = M.config.root_dir(bufnr)
    if dir then
      return dir
    end
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return uv.cwd()
  end
  local start = vim.fn.fnamemodify(name, ':p:h')
  if not is_dir(start) then
    return uv.cwd()
  end
  local dir = start
  while true do
    for _, marker in ipairs(M.config.root_markers or {}) do
      if exists(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      break
    end
    dir = parent
  end
  return start
end

-- Completion with <C-x><C-o> and definitions with <C-]> (Neovim 0.8+ sets these itself; 0.7 does
-- not), unless the user chose something else; then the user's on_attach.
local function on_attach(client, bufnr)
  if vim.bo[bufnr].omnifunc == '' then
    vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
  end
  if vim.bo[bufnr].tagfunc == '' then
    vim.bo[bufnr].tagfunc = 'v:lua.vim.lsp.tagfunc'
  end
  if M.config.on_attach then
    M.config.on_attach(client, bufnr)
  end
end

local function client_config(bufnr)
  local root = M.root_dir(bufnr)
  local config = {
    name = M.config.name,
    cmd = M.config.cmd,
    cmd_env = M.config.cmd_env,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    capabilities = M.config.capabilities,
    on_attach = on_attach,
    handlers = M.config.handlers,
    settings = M.config.settings,
    init_options = M.config.init_options,
  }
  if config.capabilities == nil then
    config.capabilities = vim.lsp.protocol.make_client_capabilities()
  end
  return config
end

local function executable_ok()
  local cmd = M.config.cmd
  if type(cmd) ~= 'table' or type(cmd[1]) ~= 'string' then
    return true -- a function (Neovim 0.10+ allows one): nothing to check here
  end
  if vim.fn.executable(cmd[1]) == 1 then
    return true
  end
  if not warned_missing then
    warned_missing = true
    vim.notify(
      ('vecproof: the language server command %q is not executable. Install vecproof, '
        .. "or pass its full path: require('vecproof').setup({ cmd = "
        .. "{ '/path/to/.venv/bin/vecproof', 'lsp' } })"):format(cmd[1]),
      vim.log.levels.ERROR
    )
  end
  return false
end

-- Client methods: `client.stop()` up to 0.10, `client:stop()` from 0.11 (in 0.7 a colon call would
-- pass the client as stop's `force` argument). is_stopped takes no argument, so `:` works in all.
local function stop_client(client)
  if vim.fn.has('nvim-0.11') == 1 then
    client:stop()
  else
    client.stop()
  end
end

local function client_alive(id)
  local client = id and vim.lsp.get_client_by_id(id)
  return client ~= nil and client ~= false and not client:is_stopped()
end

--- Start (or reuse) the language server for a buffer and attach it. Returns the client id.
function M.start(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if vim.bo[bufnr].buftype ~= '' or not executable_ok() then
    return nil
  end
  local config = client_config(bufnr)
  if vim.lsp.start then -- Neovim 0.8+: reuses a client with the same name and root_dir
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients_by_root[config.root_dir]
  if not client_alive(id) then
    id = vim.lsp.start_client(config)
    clients_by_root[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

local function vproof_buffers()
  local wanted = {}
  for _, ft in ipairs(M.config.filetypes) do
    wanted[ft] = true
  end
  local bufs = {}
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and wanted[vim.bo[buf].filetype] then
      table.insert(bufs, buf)
    end
  end
  return bufs
end

local function our_clients()
  local list = {}
  local all = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
  for _, client in pairs(all) do
    if client.name == M.config.name then
      table.insert(list, client)
    end
  end
  return list
end

--- Stop the vecproof clients and start them again for every open .vproof buffer.
function M.restart()
  for _, client in ipairs(our_clients()) do
    stop_client(client)
  end
  clients_by_root = {}
  warned_missing = false
  local bufs = vproof_buffers()
  local tries = 0
  local timer = uv.new_timer()
  -- Wait (up to 5 s) for the old clients to exit before starting new ones.
  timer:start(100, 100, vim.schedule_wrap(function()
    tries = tries + 1
    local alive = false
    for _, client in ipairs(our_clients()) do
      if not client:is_stopped() then
        alive = true
      end
    end
    if alive and tries < 50 then
      return
    end
    timer:stop()
    timer:close()
    for _, buf in ipairs(bufs) do
      if vim.api.nvim_buf_is_valid(buf) then
        M.start(buf)
      end
    end
  end))
end

--- Print the configuration and the running clients.
function M.info()
  local lines = { 'vecproof: cmd = ' .. vim.inspect(M.config.cmd) }
  local clients = our_clients()
  if #clients == 0 then
    table.insert(lines, '  no language server running')
  end
  for _, client in ipairs(clients) do
    table.insert(lines, ('  client %d, root %s%s'):format(client.id, tostring(client.config.root_dir),
      client:is_stopped() and ' (stopped)' or ''))
  end
  table.insert(lines, '  LSP log: ' .. vim.lsp.get_log_path())
  vim.notify(table.concat(lines, '\n'), vim.log.levels.INFO)
end

--- Configure, and start the server for .vproof buffers (those already open and those to come).
function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if opts and opts.cmd then -- a list replaces the default, it is not merged index by index
    M.config.cmd = opts.cmd
  end
  if opts and opts.root_markers then
    M.config.root_markers = opts.root_markers
  end
  if opts and opts.filetypes then
    M.config.filetypes = opts.filetypes
  end
  warned_missing = false
  local group = vim.api.nvim_create_augroup('vecproof_lsp', { clear = true })
  if not M.config.autostart then
    return
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
    desc = 'vecproof: start the language server',
  })
  for _, buf in ipairs(vproof_buffers()) do
    M.start(buf)
  end
end

return M
