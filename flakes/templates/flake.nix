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
      container-with-module = {
        path = ./container-with-module;
        description = "A NixOS container using a third-party flake's NixOS module and overlay";
        welcomeText = ''
          # A NixOS container with a third-party module

          The third-party flake lives in ./hydra (input 'hydra'); it adds the package
          'hydra' (an overlay) and the service 'services.hydra' (port 3000).

          Create and start it with 'tix container create NAME --flake .', then
          'curl http://NAME:3000/'.
        '';
      };
      default = self.templates.trivial;
    };
    defaultTemplate = self.templates.trivial;
  };
}
