{ greeting }: { options.applied = (import ../../../../flakes/base/lib).mkOption { default = greeting; }; }
