{
  description = "Templates for 'tix flake init -t templates#NAME'";

  outputs = { self }: {
    templates = {
      trivial = {
        path = ./trivial;
        description = "A flake with one package";
      };
      simpleContainer = {
        path = ./simpleContainer;
        description = "A NixOS container running the Apache web server";
        welcomeText = ''
          # A NixOS container

          Build it with

              tix build .#nixosConfigurations.container.config.system.build.toplevel

          or create and start it with 'tix container create NAME --flake .'.
        '';
      };
      default = self.templates.trivial;
    };
    defaultTemplate = self.templates.trivial;
  };
}
