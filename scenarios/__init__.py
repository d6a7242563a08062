"""What a drill is made of and how it is played: no UI, no storage."""
