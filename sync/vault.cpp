// placeholder until the vault lands
