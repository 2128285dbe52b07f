"""Laser-tissue physics: pure functions on SI floats (ablation, heat, damage)."""
