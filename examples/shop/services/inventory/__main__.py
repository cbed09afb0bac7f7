from examples.shop.services._engine import main
from examples.shop.services.inventory import SPEC

main(SPEC)
