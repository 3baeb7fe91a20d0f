{ x = "left"; } // { x = "right"; }
