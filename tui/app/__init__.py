"""The Textual app: `main` (the App: bindings, themes, routing), `launch` (settings and the
services it is built with), `session` (the drill the screens share), `screens/` (one screen per
module) and `widgets/` (pieces screens are made of; they never import screens)."""
