import numpy as np
import pytest

from imgen_helpers import plotting


@pytest.mark.parametrize(
    ("batch", "channels"),
    [
        (np.random.default_rng(0).random((6, 8, 8, 1)) * 2 - 1, 1),  # tanh range
        (np.random.default_rng(0).integers(0, 256, (5, 8, 8, 3), dtype=np.uint8), 3),
        (np.random.default_rng(0).random((4, 8, 8)), 1),  # grey batch without channel axis
    ],
)
def test_image_grid_layout_and_range(batch, channels):
    grid = plotting.image_grid(batch, ncols=3, pad=1)
    rows = -(-len(batch) // 3)
    assert grid.shape == (rows * 9 - 1, 3 * 9 - 1, channels)
    assert grid.min() >= 0 and grid.max() <= 1


def test_image_grid_places_images_in_order():
    batch = np.stack([np.full((2, 2, 1), v, np.float32) for v in (0.0, 0.5, 1.0)])
    grid = plotting.image_grid(batch, ncols=3, pad=0, value_range="unit")
    np.testing.assert_allclose(grid[0, ::2, 0], [0.0, 0.5, 1.0])


def test_show_grid_titles_and_errors():
    fig = plotting.show_grid(np.zeros((3, 8, 8, 3)), titles=["a", "b", "c"])
    assert [ax.get_title() for ax in fig.axes[:3]] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="2 titles for 3 images"):
        plotting.show_grid(np.zeros((3, 8, 8, 3)), titles=["a", "b"])
    with pytest.raises(ValueError, match="1 or 3 channels"):
        plotting.show_grid(np.zeros((3, 8, 8, 2)))


def test_plot_history_from_dict_and_history_like():
    fig = plotting.plot_history({"d_loss": [1.0, 0.8], "g_loss": [0.5, 0.9]})
    assert [line.get_label() for line in fig.axes[0].lines] == ["d_loss", "g_loss"]

    class FakeHistory:
        history = {"loss": [3.0, 2.0, 1.0]}
        epoch = [0, 1, 2]

    fig = plotting.plot_history(FakeHistory())
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), [3, 2, 1])
    with pytest.raises(KeyError, match="available"):
        plotting.plot_history({"loss": [1.0]}, keys=["kl"])
    with pytest.raises(TypeError):
        plotting.plot_history([1, 2, 3])


@pytest.mark.parametrize("epochs", [2, 3, 5, 40])
def test_plot_history_ticks_whole_epochs(epochs):
    fig = plotting.plot_history({"loss": np.linspace(2.0, 1.0, epochs)})
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    ticks = [t for t in ax.get_xticks() if low <= t <= high]  # the ticks a reader sees
    assert len(ticks) >= 2
    assert ticks == [round(t) for t in ticks], f"epoch axis ticks at {ticks}"


def test_compare_mixes_grey_and_colour():
    fig = plotting.compare({"grey": np.zeros((8, 8)), "colour": np.ones((8, 8, 3))})
    assert [ax.get_title() for ax in fig.axes] == ["grey", "colour"]


def test_save_gif_round_trip(tmp_path):
    import imageio.v2 as imageio

    frames = [np.full((8, 8), v, np.float32) for v in (0.0, 0.5, 1.0)]
    path = plotting.save_gif(frames, tmp_path / "sub" / "progress.gif", fps=2)
    read = imageio.mimread(path)
    assert len(read) == 3
    assert abs(int(read[1][0, 0, 0]) - 128) <= 1
    with pytest.raises(ValueError, match="same shape"):
        plotting.save_gif([np.zeros((8, 8)), np.zeros((9, 9))], tmp_path / "bad.gif")


def test_apply_colormap():
    rgb = plotting.apply_colormap(np.arange(12.0).reshape(3, 4))
    assert rgb.shape == (3, 4, 3) and rgb.dtype == np.float32
    assert not np.allclose(rgb[0, 0], rgb[-1, -1])
